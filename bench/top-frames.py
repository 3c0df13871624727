#!/usr/bin/env python3
"""Top frames of a JFR recording's execution samples, for the Kafka Streams threads only.

    jfr print --events jdk.ExecutionSample bench/results/<stamp>-eos.jfr | bench/top-frames.py [N] [THREAD-SUBSTRING]

Prints the top self frames (where the CPU was) and the top frames of our own code or of Kafka Streams found
nearest the top of each stack (who asked for it).
"""
import collections
import re
import sys

limit = int(sys.argv[1]) if len(sys.argv) > 1 else 15
thread_filter = sys.argv[2] if len(sys.argv) > 2 else "StreamThread"
self_frames = collections.Counter()
own_frames = collections.Counter()
samples = 0
thread = None
frames = None
for line in sys.stdin:
    line = line.strip()
    if line.startswith("sampledThread"):
        thread = line
    elif line.startswith("stackTrace = ["):
        frames = []
    elif frames is not None and line.startswith("]"):
        if thread and thread_filter in thread and frames:
            samples += 1
            self_frames[frames[0]] += 1
            own = next((f for f in frames if f.startswith("io.inventory.")
                        or f.startswith("org.apache.kafka.streams.")), None)
            if own:
                own_frames[own] += 1
        frames = None
        thread = None
    elif frames is not None and line and line != "...":
        frames.append(re.sub(r"\s+line:.*$", "", line))

print(f"{samples} samples on threads matching '{thread_filter}'")
print("\ntop self frames:")
for frame, count in self_frames.most_common(limit):
    print(f"{100.0 * count / max(1, samples):5.1f}%  {frame}")
print("\ntop frames of io.inventory / org.apache.kafka.streams nearest the top of the stack:")
for frame, count in own_frames.most_common(limit):
    print(f"{100.0 * count / max(1, samples):5.1f}%  {frame}")
