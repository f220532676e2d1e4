#include "server/executor.h"

namespace perfectex::server {

void InlineExecutor::submit(Job job, Done done) {
  done(analyzer_.analyze(std::move(job.snapshot), *job.config, std::move(job.context)));
}

}  // namespace perfectex::server
