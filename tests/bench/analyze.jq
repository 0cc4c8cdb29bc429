# tests/bench/analyze.jq: turns the records of one bench VM run into
# build/bench/<kver>.json (tests/bench/run calls it).
#
# Input (jq -s): the result records of uringctl bench and raw-bench, each
# with the round it was measured in. Arguments: $meta (kernel, date,
# commit, params, nop_bench, kernel log), $target_batch.
#
# A series is producer:name, e.g. "raw-bench:nop" or "uringctl:delay"; a
# data transfer's also has its size, "raw-bench:cmd_read@4096" (its
# MB/s is its ops/s times the size: 1 MB = 10^6 bytes).
# uringctl bench (and raw-bench's copy of its loop) asks libmiscuring to
# register the device as the ring's file 0 (MISCURING_SETUP_FIXED_FILE),
# so its like for like in raw liburing is the _fixed series; the plain ones (device by fd)
# are what a program that registers nothing gets. Its
# figure at a batch size is the best round (interference from the host
# only ever slows a run down). A target's per_round list has the ratio of
# the two figures measured in the same round, back to back; its verdict
# goes by their median ("ratio"), which one lucky or unlucky round cannot
# move; best_ratio is the ratio of the two best figures.

def key: .producer + ":" + .name + (if .bytes then "@\(.bytes)" else "" end);
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
  def target_at($id; $desc; $num; $den; $min; $primary; $tb):
    (rate($num; $tb)) as $n | (rate($den; $tb)) as $d
    | if $n == null or $d == null then empty else
      {id: $id, description: $desc, numerator: $num, denominator: $den,
       batch: $tb, minimum: $min, primary: $primary,
       numerator_ops_per_sec: $n, denominator_ops_per_sec: $d,
       best_ratio: ($n / $d),
       per_round: [$records | map(.round) | unique | .[] as $rd
                   | (round_rate($num; $tb; $rd)) as $a
                   | (round_rate($den; $tb; $rd)) as $c
                   | select($a != null and $c != null) | $a / $c]}
      | .ratio = ((.per_round | median) // .best_ratio)
      | .met = (.ratio >= $min)
      end;
  def target($id; $desc; $num; $den; $min; $primary):
    target_at($id; $desc; $num; $den; $min; $primary; $target_batch);
  # Rows of the table and lines of the plot, in order.
  def series:
    [ {key: "raw-bench:ring_nop", label: "IORING_OP_NOP, raw liburing", group: "ring_nop", via: "liburing"},
      {key: "uringctl:nop", label: "NOP, libmiscuring (uringctl bench)", group: "nop", via: "uringctl"},
      {key: "raw-bench:lib_nop", label: "NOP, libmiscuring (raw-bench loop)", group: "nop", via: "lib"},
      {key: "raw-bench:nop_fixed", label: "NOP, raw liburing, registered file", group: "nop", via: "liburing_fixed"},
      {key: "raw-bench:nop", label: "NOP, raw liburing, fd", group: "nop", via: "liburing"},
      {key: "raw-bench:nop_cqe32", label: "NOP, raw liburing, registered file, CQE32 ring", group: "nop", via: "liburing_cqe32"},
      {key: "raw-bench:null_cqe32", label: "/dev/null uring_cmd, raw liburing, registered file, CQE32 ring", group: "null", via: "liburing_cqe32"},
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
  # The data rows: one per path, a cell per transfer size and batch size.
  def data_series:
    [ {name: "raw-bench:pread", label: "pread(2)", group: "classic"},
      {name: "raw-bench:ring_read", label: "IORING_OP_READ (read_iter)", group: "ring"},
      {name: "raw-bench:ring_read_fixed", label: "IORING_OP_READ_FIXED", group: "ring_fixed"},
      {name: "raw-bench:cmd_read", label: "uring_cmd READ, user buffer", group: "cmd"},
      {name: "raw-bench:cmd_readv", label: "uring_cmd READ, vectored (4 KiB iovecs)", group: "cmd_vec"},
      {name: "raw-bench:cmd_read_fixed", label: "uring_cmd READ, registered buffer", group: "cmd_fixed"},
      {name: "uringctl:read", label: "uring_cmd READ, user buffer, libmiscuring", group: "lib"},
      {name: "uringctl:readv", label: "uring_cmd READ, vectored, libmiscuring", group: "lib"},
      {name: "uringctl:read_fixed", label: "uring_cmd READ, registered, libmiscuring", group: "lib"},
      {name: "raw-bench:pwrite", label: "pwrite(2)", group: "classic"},
      {name: "raw-bench:ring_write", label: "IORING_OP_WRITE (write_iter)", group: "ring"},
      {name: "raw-bench:ring_write_fixed", label: "IORING_OP_WRITE_FIXED", group: "ring_fixed"},
      {name: "raw-bench:cmd_write", label: "uring_cmd WRITE, user buffer", group: "cmd"},
      {name: "raw-bench:cmd_writev", label: "uring_cmd WRITE, vectored (4 KiB iovecs)", group: "cmd_vec"},
      {name: "raw-bench:cmd_write_fixed", label: "uring_cmd WRITE, registered buffer", group: "cmd_fixed"},
      {name: "uringctl:write", label: "uring_cmd WRITE, user buffer, libmiscuring", group: "lib"},
      {name: "uringctl:writev", label: "uring_cmd WRITE, vectored, libmiscuring", group: "lib"},
      {name: "uringctl:write_fixed", label: "uring_cmd WRITE, registered, libmiscuring", group: "lib"} ]
    | map(.name as $n
          | ($best | to_entries | map(select(.key | startswith($n + "@")))) as $e
          | select($e | length > 0)
          | . + {write: (.name | test("write")),
                 ops_per_sec: ($e | map({key: (.key | ltrimstr($n + "@")), value: .value}) | from_entries),
                 mb_per_sec: ($e | map((.key | ltrimstr($n + "@") | tonumber) as $z
                     | {key: ($z | tostring), value: (.value | map_values(. * $z / 1e6))}) | from_entries)});
  # The watcher's rows: changes delivered/s and the writer's stores/s.
  # (one row per writer batch size, the best round of each)
  def watch_series:
    [ {key: "watch-bench:watch_multishot", label: "multishot WATCH"},
      {key: "watch-bench:watch_rearm", label: "re-armed WAIT (MISCURING_WATCHER_REARM)"} ]
    | map(.key as $k | [$records[] | select(key == $k)] | group_by(.batch)[]
          | max_by(.ops_per_sec) as $b
          | {key: $k, label: (if $k | test("multishot") then "multishot WATCH" else "re-armed WAIT (MISCURING_WATCHER_REARM)" end),
             writer_batch: $b.batch, changes_per_sec: $b.ops_per_sec, stores_per_sec: $b.stores_per_sec,
             stores_per_change: (if $b.ops > 0 then $b.stores / $b.ops else null end),
             # every round: the last change was the last store, and
             # (multishot) the changes stand for every store
             complete: all(.[]; .last_seen != false and (.stale // 0) == 0
                 and (($k | test("multishot") | not) or .stores_seen == .stores))})
    | sort_by(.writer_batch);
  ($libp + ":" + $libn) as $lib
| $meta + {
    target_batch: $target_batch,
    libmiscuring_producer: $libp,
    series: series,
    data_series: data_series,
    watch_series: watch_series,
    targets: [
      target_at("watch_mshot_vs_rearm"; "changes delivered/s to a watcher, a store per syscall: multishot WATCH >= 1.5x re-armed WAIT";
             "watch-bench:watch_multishot"; "watch-bench:watch_rearm"; 1.5; true; 1),
      target("watch_mshot_vs_rearm_32"; "changes delivered/s to a watcher, stores in batches of 32: multishot / re-armed";
             "watch-bench:watch_multishot"; "watch-bench:watch_rearm"; 1.5; false),
      target("nop_vs_null"; "NOP op >= 0.95x /dev/null's uring_cmd (registered file, CQE32 ring)";
             "raw-bench:nop_cqe32"; "raw-bench:null_cqe32"; 0.95; true),
      target("read_fixed_vs_ring_fixed_4k"; "READ, registered buffer >= 1.0x IORING_OP_READ_FIXED, 4 KiB";
             "raw-bench:cmd_read_fixed@4096"; "raw-bench:ring_read_fixed@4096"; 1.0; true),
      target("read_fixed_vs_ring_fixed_64k"; "READ, registered buffer >= 1.0x IORING_OP_READ_FIXED, 64 KiB";
             "raw-bench:cmd_read_fixed@65536"; "raw-bench:ring_read_fixed@65536"; 1.0; true),
      target("read_vs_pread_4k"; "READ, user buffer >= 1.5x pread(2), 4 KiB";
             "raw-bench:cmd_read@4096"; "raw-bench:pread@4096"; 1.5; true),
      target("read_fixed_vs_plain_64k"; "READ: registered buffer >= 1.0x user buffer, 64 KiB";
             "raw-bench:cmd_read_fixed@65536"; "raw-bench:cmd_read@65536"; 1.0; true),
      target("read_fixed_vs_plain_1m"; "READ: registered buffer >= 1.0x user buffer, 1 MiB";
             "raw-bench:cmd_read_fixed@1048576"; "raw-bench:cmd_read@1048576"; 1.0; true),
      target("write_fixed_vs_plain_64k"; "WRITE: registered buffer / user buffer, 64 KiB";
             "raw-bench:cmd_write_fixed@65536"; "raw-bench:cmd_write@65536"; 1.0; false),
      target("write_fixed_vs_plain_1m"; "WRITE: registered buffer / user buffer, 1 MiB";
             "raw-bench:cmd_write_fixed@1048576"; "raw-bench:cmd_write@1048576"; 1.0; false),
      target("write_fixed_vs_ring_fixed_64k"; "WRITE, registered buffer / IORING_OP_WRITE_FIXED, 64 KiB";
             "raw-bench:cmd_write_fixed@65536"; "raw-bench:ring_write_fixed@65536"; 1.0; false),
      target("write_vs_pwrite_4k"; "WRITE, user buffer / pwrite(2), 4 KiB";
             "raw-bench:cmd_write@4096"; "raw-bench:pwrite@4096"; 1.5; false),
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
