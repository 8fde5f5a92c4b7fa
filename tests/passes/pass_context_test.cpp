#include "passes/pass_context.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace octet {
namespace {

TEST(PassContextTest, AbsorbedRecordFollowsChains) {
  PassContext context;
  context.note_absorbed("bn", "conv");
  context.note_absorbed("relu_id", "");
  context.note_absorbed("conv", "conv_fused");  // conv itself later merged: bn follows it
  context.note_absorbed("mul", "conv");         // into a node already removed: resolved to where it went
  EXPECT_EQ(context.absorbed().at("bn"), "conv_fused");
  EXPECT_EQ(context.absorbed().at("conv"), "conv_fused");
  EXPECT_EQ(context.absorbed().at("mul"), "conv_fused");
  EXPECT_EQ(context.absorbed().at("relu_id"), "");
  EXPECT_TRUE(context.was_removed("bn"));
  EXPECT_FALSE(context.was_removed("conv_fused"));
}

TEST(PassContextTest, DumpsNumberedGraphFiles) {
  namespace fs = std::filesystem;
  const fs::path folder = fs::path(::testing::TempDir()) / "octet_pass_context_dump";
  fs::remove_all(folder);
  Graph g;
  g.add_output(g.add_node("Relu", "relu", {g.add_input("x", ElementType::kF32, Shape{2})}, {"y"})->output(0));
  PassContext context;
  context.dump_folder = folder.string();
  context.dump_graph(g, "input");
  context.dump_graph(g, "remove_identity_ops");
  ASSERT_TRUE(fs::exists(folder / "00_input.txt"));
  ASSERT_TRUE(fs::exists(folder / "01_remove_identity_ops.txt"));
  std::ifstream in(folder / "01_remove_identity_ops.txt");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("Relu 'relu'"), std::string::npos) << text.str();
  fs::remove_all(folder);
}

TEST(PassContextTest, NoDumpWithoutFolder) {
  PassContext context;
  context.dump_folder.clear();
  Graph g;
  EXPECT_NO_THROW(context.dump_graph(g, "input"));
}

}  // namespace
}  // namespace octet
