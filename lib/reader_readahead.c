/*
 * lib/reader_readahead.c - a thread that reads a file ahead of the reader (see
 * reader_readahead.h).
 *
 * A ring of RING chunks, each free (the thread may fill it), full or
 * taken. The thread fills them in ring order and the reader takes them
 * in the same order, so one index each says where they are; a mutex
 * guards the states and the stop flag, and two condition variables say
 * "a chunk is full" and "a chunk is free".
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader_readahead.h"

/* Chunks in the ring: the reader holds up to two while the thread fills
 * the others. */
#define RING 4
/* Zero bytes after each chunk's data, so that a block can be loaded
 * whole (SCAN_BLOCK in reader_scan.h). */
#define PAD 64

enum state { FREE, FULL, TAKEN };

struct readahead {
	struct reader_gz *gz;
	size_t room, chunk;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t full, freed;
	int stop;
	size_t take_i; /* the next chunk the reader takes */
	struct slot {
		struct readahead_chunk c;
		unsigned char *buf;
		enum state state;
		char msg[256];
	} ring[RING];
};

/* Fill one chunk with what one read gives. Returns 0 when there is no
 * more to read. */
static int fill_slot(struct readahead *ra, struct slot *s)
{
	long n = reader_gz_read(ra->gz, s->c.data, ra->chunk);

	s->c.error = NULL;
	s->c.len = n > 0 ? (size_t)n : 0;
	s->c.offset = reader_gz_offset(ra->gz);
	if (n < 0) {
		reader_gz_error(ra->gz, s->msg, sizeof s->msg);
		s->c.error = s->msg;
	}
	memset(s->c.data + s->c.len, 0, PAD);
	return n > 0;
}

static void *produce(void *arg)
{
	struct readahead *ra = arg;

	for (size_t i = 0;; i = (i + 1) % RING) {
		struct slot *s = &ra->ring[i];
		int more, stop;

		pthread_mutex_lock(&ra->lock);
		while (!ra->stop && s->state != FREE)
			pthread_cond_wait(&ra->freed, &ra->lock);
		stop = ra->stop;
		pthread_mutex_unlock(&ra->lock);
		if (stop)
			break;
		more = fill_slot(ra, s);
		pthread_mutex_lock(&ra->lock);
		s->state = FULL;
		pthread_cond_signal(&ra->full);
		pthread_mutex_unlock(&ra->lock);
		if (!more)
			break;
	}
	return NULL;
}

static void free_ring(struct readahead *ra)
{
	for (size_t i = 0; i < RING; i++)
		free(ra->ring[i].buf);
	free(ra);
}

struct readahead *readahead_start(struct reader_gz *gz, size_t room,
				  size_t chunk)
{
	struct readahead *ra = calloc(1, sizeof *ra);

	if (!ra)
		return NULL;
	ra->gz = gz;
	ra->room = room;
	ra->chunk = chunk;
	for (size_t i = 0; i < RING; i++) {
		struct slot *s = &ra->ring[i];

		s->buf = malloc(room + chunk + PAD);
		if (!s->buf) {
			free_ring(ra);
			return NULL;
		}
		s->c.data = s->buf + room;
		s->c.room = room;
		s->state = FREE;
	}
	if (pthread_mutex_init(&ra->lock, NULL) != 0)
		goto no_lock;
	if (pthread_cond_init(&ra->full, NULL) != 0)
		goto no_full;
	if (pthread_cond_init(&ra->freed, NULL) != 0)
		goto no_freed;
	if (pthread_create(&ra->thread, NULL, produce, ra) != 0)
		goto no_thread;
	return ra;
no_thread:
	pthread_cond_destroy(&ra->freed);
no_freed:
	pthread_cond_destroy(&ra->full);
no_full:
	pthread_mutex_destroy(&ra->lock);
no_lock:
	free_ring(ra);
	return NULL;
}

struct readahead_chunk *readahead_take(struct readahead *ra)
{
	struct slot *s = &ra->ring[ra->take_i];

	pthread_mutex_lock(&ra->lock);
	while (s->state != FULL)
		pthread_cond_wait(&ra->full, &ra->lock);
	s->state = TAKEN;
	pthread_mutex_unlock(&ra->lock);
	ra->take_i = (ra->take_i + 1) % RING;
	return &s->c;
}

void readahead_give(struct readahead *ra, struct readahead_chunk *chunk)
{
	struct slot *s =
		(struct slot *)(void *)chunk; /* c is its first member */

	pthread_mutex_lock(&ra->lock);
	s->state = FREE;
	pthread_cond_signal(&ra->freed);
	pthread_mutex_unlock(&ra->lock);
}

void readahead_stop(struct readahead *ra)
{
	if (!ra)
		return;
	pthread_mutex_lock(&ra->lock);
	ra->stop = 1;
	pthread_cond_signal(&ra->freed);
	pthread_mutex_unlock(&ra->lock);
	pthread_join(ra->thread, NULL);
	pthread_cond_destroy(&ra->full);
	pthread_cond_destroy(&ra->freed);
	pthread_mutex_destroy(&ra->lock);
	free_ring(ra);
}
