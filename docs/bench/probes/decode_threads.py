"""Median ms of one llama.cpp decode call evaluating 1, 4 or 16 tokens, with 1 and 2 threads.

Run it with the Python of the llama-cpp-python build to measure, on any GGUF, e.g.
`training/.venv/bin/python docs/bench/probes/decode_threads.py training/models/gh/clitron-gh-q4_k_m.gguf`.
"""

import statistics
import sys
import time

import llama_cpp

PROMPT = b"<|im_start|>user\nshow me the open pull requests in this repository please<|im_end|>\n<|im_start|>assistant\n"

print(llama_cpp.llama_print_system_info().decode())
for threads in (1, 2):
    llm = llama_cpp.Llama(sys.argv[1], n_ctx=512, n_batch=512, n_threads=threads, n_threads_batch=threads, verbose=False)
    prompt = llm.tokenize(PROMPT)
    for size in (1, 4, 16):
        times = []
        for _ in range(15):
            llm.reset()
            llm.eval(prompt)  # the call timed comes after a prompt, as in a request
            started = time.perf_counter()
            llm.eval(prompt[1:1 + size])
            times.append((time.perf_counter() - started) * 1000)
        print(f"threads={threads} tokens={size} median {statistics.median(times):.1f} ms")
    del llm
