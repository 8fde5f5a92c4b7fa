// Sets the calling thread's OpenMP team size for a scope and restores it after.
//
// OpenMP's team size (omp_set_num_threads) belongs to the calling thread, and oneDNN fixes a primitive's
// thread count when the primitive is created (its work split is planned then) and passes it to every parallel
// region the primitive opens. So the thread count of a stream must be in effect both while the plan is
// compiled and while a request runs: a plan compiled with the process default (every core) would run every
// oneDNN layer on every core, whatever -nthreads or the number of streams asks for.
#pragma once

#include <omp.h>

namespace octet::runtime {

class ScopedOmpThreads {
 public:
  explicit ScopedOmpThreads(int threads) : previous_(omp_get_max_threads()) { omp_set_num_threads(threads); }
  ~ScopedOmpThreads() { omp_set_num_threads(previous_); }
  ScopedOmpThreads(const ScopedOmpThreads&) = delete;
  ScopedOmpThreads& operator=(const ScopedOmpThreads&) = delete;

 private:
  int previous_;
};

}  // namespace octet::runtime
