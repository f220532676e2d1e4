/* A small C program for the replay harness to edit against clangd: a ring buffer of samples
 * and the nearest-rank percentile of what it holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAPACITY 64

struct ring {
  long values[CAPACITY];
  size_t head;
  size_t count;
};

static void ring_push(struct ring *r, long value) {
  r->values[r->head] = value;
  r->head = (r->head + 1) % CAPACITY;
  if (r->count < CAPACITY) r->count++;
}

static int compare_longs(const void *a, const void *b) {
  long x = *(const long *)a;
  long y = *(const long *)b;
  return (x > y) - (x < y);
}

/* rank = ceil(p / 100 * n), value = sorted[rank - 1] */
static long ring_percentile(const struct ring *r, double p) {
  long sorted[CAPACITY];
  size_t n = r->count;
  if (n == 0) return 0;
  memcpy(sorted, r->values, n * sizeof sorted[0]);
  qsort(sorted, n, sizeof sorted[0], compare_longs);
  size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);
  if (rank < 1) rank = 1;
  if (rank > n) rank = n;
  return sorted[rank - 1];
}

int main(int argc, char **argv) {
  struct ring r = {{0}, 0, 0};
  for (int i = 1; i < argc; i++) ring_push(&r, strtol(argv[i], NULL, 10));

  printf("p50 %ld\n", ring_percentile(&r, 50.0));
  printf("p99 %ld\n", ring_percentile(&r, 99.0));
  return 0;
}
