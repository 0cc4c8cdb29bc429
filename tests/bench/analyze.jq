# tests/bench/analyze.jq: turns the records of one bench VM run into
# build/bench/<kver>.json (tests/bench/run calls it).
#
# Input (jq -s): the result records of uringctl bench and raw-bench, each
# with the round it was measured in. Arguments: $meta (kernel, date,
# commit, params, nop_bench, kernel log), $target_batch.
#
# A series is producer:name, e.g. "raw-bench:nop" or "uringctl:delay".
# uringctl bench (and raw-bench's copy of its loop) asks libmiscuring to
# register the device as the ring's file 0 (MISCURING_SETUP_FIXED_FILE),
# so its like for like in raw liburing is the _fixed series; the plain ones (device by fd)
# are what a program that registers nothing gets. Its
# figure at a batch size is the best round (interference from the host
# only ever slows a run down). A target's per_round list has the ratio of
# the two figures measured in the same round, back to back; its verdict
# goes by their median ("ratio"), which one lucky or unlucky round cannot
# move; best_ratio is the ratio of the two best figures.

def key: .producer + ":" + .name;
def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
	else (.[length / 2 - 1] + .[length / 2]) / 2 end;

. as $records
| ($records | map(select(.producer == "uringctl")) | length > 0) as $have_uringctl
| (if $have_uringctl then "uringctl" else "raw-bench" end) as $libp
| (if $have_uringctl then "" else "lib_" end) as $libn
# best[key][batch] = ops/s
| (reduce $records[] as $r ({};
    ($r | key) as $k | ($r.batch | tostring) as $b
    | if (.[$k][$b] // 0) < $r.ops_per_sec then .[$k][$b] = $r.ops_per_sec else . end)
  ) as $best
| def rate($k; $b): $best[$k][$b | tostring];
  def round_rate($k; $b; $round):
    [$records[] | select(key == $k and .batch == $b and .round == $round) | .ops_per_sec] | first;
  def target($id; $desc; $num; $den; $min; $primary):
    (rate($num; $target_batch)) as $n | (rate($den; $target_batch)) as $d
    | if $n == null or $d == null then empty else
      {id: $id, description: $desc, numerator: $num, denominator: $den,
       batch: $target_batch, minimum: $min, primary: $primary,
       numerator_ops_per_sec: $n, denominator_ops_per_sec: $d,
       best_ratio: ($n / $d),
       per_round: [$records | map(.round) | unique | .[] as $rd
                   | (round_rate($num; $target_batch; $rd)) as $a
                   | (round_rate($den; $target_batch; $rd)) as $c
                   | select($a != null and $c != null) | $a / $c]}
      | .ratio = ((.per_round | median) // .best_ratio)
      | .met = (.ratio >= $min)
      end;
  # Rows of the table and lines of the plot, in order.
  def series:
    [ {key: "raw-bench:ring_nop", label: "IORING_OP_NOP, raw liburing", group: "ring_nop", via: "liburing"},
      {key: "uringctl:nop", label: "NOP, libmiscuring (uringctl bench)", group: "nop", via: "uringctl"},
      {key: "raw-bench:lib_nop", label: "NOP, libmiscuring (raw-bench loop)", group: "nop", via: "lib"},
      {key: "raw-bench:nop_fixed", label: "NOP, raw liburing, registered file", group: "nop", via: "liburing_fixed"},
      {key: "raw-bench:nop", label: "NOP, raw liburing, fd", group: "nop", via: "liburing"},
      {key: "uringctl:get", label: "GET_VALUE, libmiscuring (uringctl bench)", group: "get", via: "uringctl"},
      {key: "raw-bench:lib_get", label: "GET_VALUE, libmiscuring (raw-bench loop)", group: "get", via: "lib"},
      {key: "raw-bench:get_fixed", label: "GET_VALUE, raw liburing, registered file", group: "get", via: "liburing_fixed"},
      {key: "raw-bench:get", label: "GET_VALUE, raw liburing, fd", group: "get", via: "liburing"},
      {key: "uringctl:delay", label: "DELAY(0) async, libmiscuring (uringctl bench)", group: "delay", via: "uringctl"},
      {key: "raw-bench:lib_delay", label: "DELAY(0) async, libmiscuring (raw-bench loop)", group: "delay", via: "lib"},
      {key: "raw-bench:delay_fixed", label: "DELAY(0) async, raw liburing, registered file", group: "delay", via: "liburing_fixed"},
      {key: "raw-bench:delay", label: "DELAY(0) async, raw liburing, fd", group: "delay", via: "liburing"},
      {key: "raw-bench:ioctl", label: "GET_VALUE ioctl (one syscall per op)", group: "ioctl", via: "syscall"},
      {key: "raw-bench:ioctl_nop", label: "empty ioctl, -ENOTTY (one syscall per op)", group: "ioctl_nop", via: "syscall"} ]
    | map(select($best[.key] != null) | . + {ops_per_sec: $best[.key]});
  ($libp + ":" + $libn) as $lib
| $meta + {
    target_batch: $target_batch,
    libmiscuring_producer: $libp,
    series: series,
    targets: [
      target("nop_vs_ring_nop"; "NOP op >= 0.45x IORING_OP_NOP (both raw liburing, same loop, registered file)";
             "raw-bench:nop_fixed"; "raw-bench:ring_nop"; 0.45; true),
      target("nop_vs_ring_nop_fd"; "NOP op by fd (no registered file) / IORING_OP_NOP";
             "raw-bench:nop"; "raw-bench:ring_nop"; 0.45; false),
      target("nop_vs_ring_nop_lib"; "NOP op via libmiscuring / IORING_OP_NOP";
             $lib + "nop"; "raw-bench:ring_nop"; 0.45; false),
      target("get_vs_ioctl"; "uring_cmd GET_VALUE (libmiscuring) >= 2.0x the GET_VALUE ioctl";
             $lib + "get"; "raw-bench:ioctl"; 2.0; true),
      target("get_vs_ioctl_raw"; "uring_cmd GET_VALUE (raw liburing, registered file) / GET_VALUE ioctl";
             "raw-bench:get_fixed"; "raw-bench:ioctl"; 2.0; false),
      target("get_vs_ioctl_fd"; "uring_cmd GET_VALUE (raw liburing, fd) / GET_VALUE ioctl";
             "raw-bench:get"; "raw-bench:ioctl"; 2.0; false),
      target("delay_vs_nop"; "DELAY(0) async >= 0.5x the inline NOP op (libmiscuring)";
             $lib + "delay"; $lib + "nop"; 0.5; true),
      target("delay_vs_nop_raw"; "DELAY(0) async / inline NOP op (raw liburing, registered file)";
             "raw-bench:delay_fixed"; "raw-bench:nop_fixed"; 0.5; false),
      target("lib_vs_raw_nop"; "libmiscuring >= 0.95x raw liburing: NOP";
             $lib + "nop"; "raw-bench:nop_fixed"; 0.95; true),
      target("lib_vs_raw_get"; "libmiscuring >= 0.95x raw liburing: GET_VALUE";
             $lib + "get"; "raw-bench:get_fixed"; 0.95; true),
      target("lib_vs_raw_delay"; "libmiscuring >= 0.95x raw liburing: DELAY(0)";
             $lib + "delay"; "raw-bench:delay_fixed"; 0.95; true),
      target("lib_vs_raw_nop_inproc"; "libmiscuring (raw-bench loop, same process) / raw liburing: NOP";
             "raw-bench:lib_nop"; "raw-bench:nop_fixed"; 0.95; false),
      target("lib_vs_raw_get_inproc"; "libmiscuring (raw-bench loop, same process) / raw liburing: GET_VALUE";
             "raw-bench:lib_get"; "raw-bench:get_fixed"; 0.95; false),
      target("lib_vs_raw_delay_inproc"; "libmiscuring (raw-bench loop, same process) / raw liburing: DELAY(0)";
             "raw-bench:lib_delay"; "raw-bench:delay_fixed"; 0.95; false),
      target("lib_vs_raw_fd_nop"; "libmiscuring / raw liburing by fd, which registers no file: NOP";
             $lib + "nop"; "raw-bench:nop"; 0.95; false),
      target("lib_vs_raw_fd_get"; "libmiscuring / raw liburing by fd, which registers no file: GET_VALUE";
             $lib + "get"; "raw-bench:get"; 0.95; false),
      target("lib_vs_raw_fd_delay"; "libmiscuring / raw liburing by fd, which registers no file: DELAY(0)";
             $lib + "delay"; "raw-bench:delay"; 0.95; false)
    ]
    # Without uringctl the in-process pairs are the primary ones again.
    | map(select(.primary or $have_uringctl or (.id | test("inproc$") | not))),
    records: $records
  }
