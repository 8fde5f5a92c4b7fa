// OpenVINO IR (model.xml + model.bin) through the reader the CLI uses, then the graph code. One fuzz input
// holds both files: a 4-byte little-endian length of the XML, the XML, and the rest is the .bin
// (scripts/fuzz.sh builds the seeds that way). A length past the end takes all the bytes as XML.
#include "frontends/openvino_ir/ir_reader.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string xml;
  std::string bin;
  if (size < 4) {
    xml = octet::fuzz::to_bytes(data, size);
  } else {
    const size_t xml_size =
        size_t{data[0]} | size_t{data[1]} << 8 | size_t{data[2]} << 16 | size_t{data[3]} << 24;
    const size_t rest = size - 4;
    xml = octet::fuzz::to_bytes(data + 4, xml_size < rest ? xml_size : rest);
    if (xml_size < rest) bin = octet::fuzz::to_bytes(data + 4 + xml_size, rest - xml_size);
  }
  octet::fuzz::expect_only_octet_errors([&] {
    const octet::Graph graph = octet::read_openvino_ir_from_memory(xml, bin);
    octet::fuzz::exercise_graph(graph);
  });
  return 0;
}
