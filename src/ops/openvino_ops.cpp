#include "ops/openvino_ops.h"

#include "ops/op_families.h"

namespace octet {

void register_openvino_ops(OpRegistry& registry) {
  register_openvino_prior_box_ops(registry);
  register_openvino_detection_output_op(registry);
  register_openvino_region_yolo_op(registry);
  register_openvino_sequence_ops(registry);
  register_openvino_normalization_ops(registry);
}

}  // namespace octet
