// Options every frontend honours when it reads a model.
#pragma once

#include <map>
#include <string>

#include "frontends/load_limits.h"
#include "octet/shape.h"

namespace octet {

struct LoadOptions {
  // Replaces the declared shape of graph inputs by name (`--shape name=[1,3,224,224]`), before shape
  // inference. An input named here that the model does not have is an error.
  std::map<std::string, Dims> input_shapes;
  // Caps on sizes read from the file, checked before allocating (frontends/load_limits.h).
  LoadLimits limits = LoadLimits::from_environment();
};

}  // namespace octet
