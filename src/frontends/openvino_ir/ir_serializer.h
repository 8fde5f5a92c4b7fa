// IrModel -> the .xml text and .bin bytes of an OpenVINO IR.
#pragma once

#include <string>

#include "frontends/openvino_ir/ir_model.h"
#include "frontends/openvino_ir/ir_writer.h"

namespace octet::ir_writer {

std::string serialize_ir_xml(const IrModel& model, const std::string& net_name, IrVersion version);
// Writes the xml and the model's blob to bin_path; kIo naming the file on failure.
void save_ir_files(const IrModel& model, const std::string& net_name, IrVersion version,
                   const std::string& xml_path, const std::string& bin_path);

}  // namespace octet::ir_writer
