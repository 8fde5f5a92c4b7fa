// The worker threads behind start_async(): one per stream, each with its own OpenMP team of
// threads_per_stream threads (OpenMP's thread count is per calling thread, so streams do not share a team).
// Jobs are taken in order by whichever stream is free.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace octet::runtime {

class StreamExecutor {
 public:
  StreamExecutor(int streams, int threads_per_stream);
  ~StreamExecutor();
  StreamExecutor(const StreamExecutor&) = delete;
  StreamExecutor& operator=(const StreamExecutor&) = delete;

  void submit(std::function<void()> job);

 private:
  void work(int threads_per_stream);

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace octet::runtime
