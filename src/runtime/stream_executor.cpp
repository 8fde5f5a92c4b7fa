#include "runtime/stream_executor.h"

#include <omp.h>

namespace octet::runtime {

StreamExecutor::StreamExecutor(int streams, int threads_per_stream) {
  for (int i = 0; i < streams; ++i)
    workers_.emplace_back([this, threads_per_stream] { work(threads_per_stream); });
}

StreamExecutor::~StreamExecutor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void StreamExecutor::submit(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  ready_.notify_one();
}

void StreamExecutor::work(int threads_per_stream) {
  omp_set_num_threads(threads_per_stream);
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace octet::runtime
