// The ops that only OpenVINO IR has (no ONNX equivalent), kept with OpenVINO's names, inputs and attribute
// names (see ops/README.md, "Ops from other formats"). Each file registers its ops; register_openvino_ops
// (op_families.h) calls them all.
#pragma once

namespace octet {

class OpRegistry;

void register_openvino_prior_box_ops(OpRegistry& registry);        // PriorBox, PriorBoxClustered
void register_openvino_detection_output_op(OpRegistry& registry);  // DetectionOutput
void register_openvino_region_yolo_op(OpRegistry& registry);       // RegionYolo
void register_openvino_sequence_ops(OpRegistry& registry);         // CTCGreedyDecoder
void register_openvino_normalization_ops(OpRegistry& registry);    // NormalizeL2, MVN (opset6)

}  // namespace octet
