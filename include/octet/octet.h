// Octet's public API in one include.
#pragma once

#include "octet/compile_config.h"
#include "octet/compiled_model.h"
#include "octet/core.h"
#include "octet/element_type.h"
#include "octet/error.h"
#include "octet/infer_request.h"
#include "octet/model.h"
#include "octet/profiling.h"
#include "octet/shape.h"
#include "octet/tensor.h"
