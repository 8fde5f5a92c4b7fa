// Builds small ONNX ModelProtos in tests with the generated protobuf classes, so frontend tests need no files
// from elsewhere.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "octet/tensor.h"
#include "onnx/onnx.pb.h"

namespace octet::testing {

class OnnxModelBuilder {
 public:
  explicit OnnxModelBuilder(int64_t opset, int64_t ir_version = 8);

  // dims: a value >= 0 is a fixed dim, -1 a symbolic one (dim_param "N"); no dims call = unknown rank.
  OnnxModelBuilder& input(const std::string& name, int32_t elem_type, const std::vector<int64_t>& dims);
  OnnxModelBuilder& input_without_shape(const std::string& name, int32_t elem_type);
  OnnxModelBuilder& output(const std::string& name, int32_t elem_type = onnx::TensorProto::FLOAT);
  OnnxModelBuilder& initializer(const std::string& name, const Tensor& tensor);
  OnnxModelBuilder& opset_import(const std::string& domain, int64_t version);
  onnx::NodeProto& node(const std::string& op_type, const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs, const std::string& name = "");

  onnx::ModelProto& model() { return model_; }
  std::string bytes() const;
  void save(const std::string& path) const;

 private:
  onnx::ModelProto model_;
};

void set_attribute(onnx::NodeProto& node, const std::string& name, int64_t value);
void set_attribute(onnx::NodeProto& node, const std::string& name, float value);
void set_attribute(onnx::NodeProto& node, const std::string& name, const std::string& value);
void set_attribute(onnx::NodeProto& node, const std::string& name, const std::vector<int64_t>& values);
void set_attribute(onnx::NodeProto& node, const std::string& name, const std::vector<float>& values);
void set_attribute(onnx::NodeProto& node, const std::string& name, const Tensor& value);

// The TensorProto of a tensor (raw_data).
onnx::TensorProto tensor_proto(const Tensor& tensor, const std::string& name);

}  // namespace octet::testing
