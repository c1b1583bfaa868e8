/*
 * concbench/digest.h - what a task produced, as 64 bits, and a run's
 * digest from its tasks'.
 *
 * Every task returns a digest of what it really produced (the bytes it
 * downloaded, the pixels it wrote); the run digest combines them so that
 * the order the tasks ran in does not matter but a lost, repeated or
 * misplaced task does. Every strategy must give the serial strategy's run
 * digest. docs/digest.md specifies these functions, with test values, for
 * a program in another language that must reproduce a run digest.
 *
 * Everything here is inline and pure: safe anywhere, from any thread or
 * process.
 */
#ifndef CONCBENCH_DIGEST_H
#define CONCBENCH_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define DIGEST_FNV_OFFSET 0xcbf29ce484222325ULL
#define DIGEST_FNV_PRIME 0x100000001b3ULL

/* Mixes a value into a well-distributed 64-bit one (splitmix64's finaliser,
 * with its increment). */
static inline uint64_t digest_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* FNV-1a over a buffer, continuing from h: start with DIGEST_FNV_OFFSET,
 * feed the bytes in as many pieces as they arrive. */
static inline uint64_t digest_bytes_update(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= DIGEST_FNV_PRIME;
	}
	return h;
}

/* FNV-1a of a whole buffer, for digests of produced bytes. */
static inline uint64_t digest_bytes(const void *data, size_t len)
{
	return digest_bytes_update(DIGEST_FNV_OFFSET, data, len);
}

/* FNV-1a's step over 8-byte little-endian words, then the bytes left one
 * at a time: about eight times faster than digest_bytes, for large
 * buffers the harness must read whole (task results). */
static inline uint64_t digest_words(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = DIGEST_FNV_OFFSET;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w = 0;

		for (int k = 0; k < 8; k++)
			w |= (uint64_t)p[i + k] << (8 * k);
		h = (h ^ w) * DIGEST_FNV_PRIME;
	}
	return digest_bytes_update(h, p + i, len - i);
}

/* Task i's contribution to the run digest: its digest bound to its index,
 * so a task that ran in another's place changes the sum. */
static inline uint64_t digest_task(size_t i, uint64_t task_digest)
{
	return digest_mix(task_digest ^ digest_mix((uint64_t)i));
}

/* The run digest of n tasks: the sum, modulo 2^64, of digest_task(i, d[i]). */
static inline uint64_t digest_combine(const uint64_t *task_digests, size_t n)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += digest_task(i, task_digests[i]);
	return sum;
}

#endif
