// One case, start to teardown (see case_runner.hpp).
#include "harness/engine/case_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "harness/engine/executor.hpp"
#include "harness/engine/step_failure.hpp"
#include "harness/scenario/requirements.hpp"
#include "targets/proto/service.hpp"

namespace sockspec::engine {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

// A step that failed on a reset or EOF may have seen the target dying before its exit can be
// reaped: this long, the target gets to show it died.
constexpr milliseconds kDeathGrace{200};

// The instance's end when it was not asked to stop, else nullopt. With `grace`, the target is
// given that long to end.
std::optional<std::string> unexpected_death(CaseEnv& env, std::string* stderr_tail,
                                            milliseconds grace = milliseconds(0)) {
  const std::lock_guard lock(env.mutex);
  for (auto& [name, inst] : env.instances) {
    if (env.stopped.contains(name)) continue;
    const bool main = name == scenario::kTarget;
    if (const auto status = main && grace.count() > 0 ? inst.wait(grace) : inst.exit_status()) {
      *stderr_tail = inst.stderr_tail();
      return fmt::format("{} {} during the case", name == scenario::kTarget ? "the target" : name,
                         status->describe());
    }
  }
  return std::nullopt;
}

// The service to start: the scenario's target.service, else the profile's exchanges' service for
// a scenario on exchanges, else the first service it needs, else echo (a scenario about sockets
// alone still needs the server to serve something).
std::string service_of(const scenario::Scenario& s, const target::Profile* profile) {
  if (s.target && s.target->service) return *s.target->service;
  if (profile != nullptr && profile->exchanges.service && scenario::uses_exchanges(s.steps)) {
    return *profile->exchanges.service;
  }
  const std::string_view form = scenario::form_of(s);
  const auto& services = proto::kServiceNames;
  const bool service =
      std::find(std::begin(services), std::end(services), form) != std::end(services);
  return std::string(service ? form : "echo");
}

std::string shared_key(const CaseSpec& spec, const target::LaunchVars& launch) {
  std::string key = spec.profile->name + (spec.family == scenario::Family::ipv6 ? "/6/" : "/4/") +
                    launch.service.value_or("");
  for (scenario::Transport t : launch.transports) {
    key += t == scenario::Transport::tcp ? "/tcp" : "/udp";
  }
  return key;
}

// Ends every program of the case (a shared target kept for the next case excepted); what one left
// running outside its process group (a daemon) fails the case, named (harness/README.md).
void judge_leftovers(CaseEnv& env, CaseResult& r) {
  const scenario::Scenario& s = env.scenario();
  std::vector<std::string> left;
  const auto end = [&](const std::string& name, target::Instance& inst) {
    for (std::string& what : inst.end()) left.push_back(fmt::format("{}: {}", name, what));
  };
  {
    const std::lock_guard lock(env.mutex);
    for (auto& [name, inst] : env.instances) {
      end(name == scenario::kTarget ? "the target" : name, inst);
    }
    if (env.client) end("the client", *env.client);
  }
  if (left.empty()) return;
  std::string observed;
  for (const std::string& l : left) observed += (observed.empty() ? "" : "; ") + l;
  const std::string detail = "a program that daemonizes without being asked leaves it behind";
  if (r.verdict == Verdict::fail && r.failure) {
    r.failure->detail +=
        fmt::format("{}after its stop, {}", r.failure->detail.empty() ? "" : "; ", observed);
    return;
  }
  if (r.verdict != Verdict::pass && r.verdict != Verdict::skip) return;
  r.verdict = Verdict::fail;
  r.failure = Failure{s.where, "(end of case)", "nothing left running after the target's stop",
                      "after its stop, " + observed, detail};
  r.reason = failure_line(*r.failure);
}

// How the case's instances are started.
target::LaunchVars launch_vars(const CaseSpec& spec, int stop_fd) {
  const scenario::Scenario& s = *spec.scenario;
  target::LaunchVars launch;
  launch.bindir = spec.bindir;
  launch.service = service_of(s, spec.profile);
  launch.transports = s.transport;
  launch.family = spec.family;
  launch.wildcard = s.target && s.target->bind == scenario::BindTo::wildcard;
  launch.stop_fd = stop_fd;
  return launch;
}

// Target sharing: whether the case may take a kept target and keep its own for the next case. A
// serial target kept alive after its case would collide with the next case of another worker.
bool may_share(const CaseSpec& spec, const SharedTarget* shared) {
  const scenario::Scenario& s = *spec.scenario;
  return shared != nullptr && s.target && s.target->shared && !spec.connect &&
         s.role == scenario::Role::server && (spec.profile == nullptr || !spec.profile->serial);
}

// Takes the kept target when it is the one this case needs (`key`) and still running.
bool take_shared(CaseEnv& env, SharedTarget& shared, const std::string& key, CaseResult& r) {
  if (!shared.instance || shared.key != key || shared.instance->exit_status()) return false;
  r.command = shared.instance->command().to_string();
  env.transcript.event("target", "shared, already running: " + r.command);
  env.instances.emplace(scenario::kTarget, std::move(*shared.instance));
  shared.instance.reset();
  return true;
}

// Keeps the case's target for the next case when it is still running and no step stopped it.
void keep_shared(CaseEnv& env, SharedTarget& shared, const std::string& key) {
  const std::lock_guard lock(env.mutex);
  const auto it = env.instances.find(scenario::kTarget);
  if (it == env.instances.end() || env.stopped.contains(scenario::kTarget) ||
      it->second.exit_status()) {
    return;
  }
  shared.key = key;
  shared.instance.emplace(std::move(it->second));
  env.instances.erase(it);
}

// Start-up: starts the server a server-role case tests (none for --connect or the client role;
// a different kept target is stopped first). False, with the verdict error and its reason, when
// it did not start.
bool start_target(CaseEnv& env, SharedTarget* shared, CaseRun& run) {
  const CaseSpec& spec = env.spec;
  if (env.scenario().role != scenario::Role::server || spec.connect) return true;
  if (shared != nullptr) shared->instance.reset();
  CaseResult& r = run.result;
  const auto starting = Clock::now();
  net::Result<target::Instance> target = target::Instance::start(*spec.profile, env.launch);
  r.target_start = duration_cast<std::chrono::microseconds>(Clock::now() - starting);
  if (!target) {
    r.verdict = Verdict::error;
    r.reason = "target did not start: " + target.error().message;
    run.interrupted = interrupt_seen(env.stop_fd);  // the readiness wait ended at once
    return false;
  }
  r.command = target->command().to_string();
  env.transcript.event(
      "target", fmt::format("ready in {:.1f} ms: {}",
                            static_cast<double>(r.target_start->count()) / 1000.0, r.command));
  env.instances.emplace(scenario::kTarget, std::move(target).value());
  return true;
}

// Death attribution: a target that ended unasked fails a passing case at its end, and a step
// that failed because the target died says so (the death is the finding).
void attribute_death(CaseEnv& env, CaseResult& r) {
  std::string tail;
  if (!r.failure) {
    if (auto death = unexpected_death(env, &tail)) {
      r.verdict = Verdict::fail;
      r.failure = Failure{env.scenario().where, "(end of case)", "the target still running", *death,
                          "stderr: " + tail};
    }
    return;
  }
  if (auto death = unexpected_death(env, &tail, kDeathGrace)) {
    r.failure->detail =
        *death + "; stderr: " + tail + (r.failure->detail.empty() ? "" : "; " + r.failure->detail);
  }
}

// Runs the steps and turns how they ended into the verdict.
void run_steps(CaseEnv& env, CaseRun& run) {
  CaseResult& r = run.result;
  try {
    Scope root(env, "", env.scenario().seed);
    Executor(root).run(env.scenario().steps);
    attribute_death(env, r);
  } catch (const StepFailure& f) {
    r.verdict = Verdict::fail;
    r.failure = f.failure();
    attribute_death(env, r);
  } catch (const StepSkipped& skipped) {
    r.verdict = Verdict::skip;
    r.reason = skipped.what();
  } catch (const Interrupted&) {
    r.verdict = Verdict::error;
    r.reason = "interrupted";
    run.interrupted = true;
  } catch (const std::exception& e) {
    r.verdict = Verdict::error;
    r.reason = fmt::format("harness error: {}", e.what());
  }
}

// The command a case ran and, unless it passed, the stderr of the program it tested.
void keep_stderr(CaseEnv& env, CaseResult& r) {
  const std::lock_guard lock(env.mutex);
  if (env.client) {
    if (r.command.empty()) r.command = env.client->command().to_string();
    if (r.verdict != Verdict::pass) r.stderr_tail = env.client->stderr_tail();
  }
  const auto it = env.instances.find(scenario::kTarget);
  if (it != env.instances.end() && r.verdict != Verdict::pass && r.stderr_tail.empty()) {
    r.stderr_tail = it->second.stderr_tail();
  }
}

}  // namespace

std::string target_label(const CaseSpec& spec) {
  if (spec.connect) return "connect " + spec.connect->to_string();
  return spec.profile != nullptr ? spec.profile->name : std::string("?");
}

CaseResult describe_case(const CaseSpec& spec) {
  const scenario::Scenario& s = *spec.scenario;
  CaseResult r;
  r.scenario_id = s.id;
  r.summary = s.summary;
  r.file = s.where.file;
  r.requirements = s.requirements;
  r.tags = s.tags;
  r.form = scenario::form_of(s);
  r.target = target_label(spec);
  r.family = spec.family;
  return r;
}

CaseRun run_case(const CaseSpec& spec, int stop_fd, SharedTarget* shared) {
  const auto started = Clock::now();
  CaseRun run{describe_case(spec), false};
  CaseEnv env(spec, stop_fd);
  env.launch = launch_vars(spec, stop_fd);
  const std::optional<std::string> key =
      may_share(spec, shared) ? std::optional(shared_key(spec, env.launch)) : std::nullopt;
  if (!(key && take_shared(env, *shared, *key, run.result)) && !start_target(env, shared, run)) {
    run.result.elapsed = duration_cast<milliseconds>(Clock::now() - started);
    return run;
  }
  run_steps(env, run);
  if (run.result.failure) run.result.reason = failure_line(*run.result.failure);
  keep_stderr(env, run.result);
  if (key && !run.interrupted) keep_shared(env, *shared, *key);
  if (!run.interrupted) judge_leftovers(env, run.result);
  run.result.transcript = env.transcript.entries();
  run.result.elapsed = duration_cast<milliseconds>(Clock::now() - started);
  return run;  // env's destructor kills and reaps every instance the case started
}

}  // namespace sockspec::engine
