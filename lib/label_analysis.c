/*
 * lib/label_analysis.c - Snorkel-style labeling-function analysis (see
 * sift/lfanalysis.h): one pass of counting per vote vector.
 */
#include <stdlib.h>
#include <string.h>

#include "sift/lfanalysis.h"

struct sift_lfa {
	size_t n_rules, n_labels, n_gold;
	double records;
	struct sift_lfa_stats *st; /* n_rules, then the set, then combined */
};

static int stats_init(struct sift_lfa_stats *s, size_t K, size_t G)
{
	memset(s, 0, sizeof *s);
	s->emitted = calloc(K ? K : 1, sizeof *s->emitted);
	s->confusion = calloc(G * K > 0 ? G * K : 1, sizeof *s->confusion);
	return s->emitted && s->confusion ? 0 : -1;
}

struct sift_lfa *sift_lfa_new(size_t n_rules, size_t n_labels, size_t n_gold)
{
	struct sift_lfa *a = calloc(1, sizeof *a);

	if (!a)
		return NULL;
	a->n_rules = n_rules;
	a->n_labels = n_labels;
	a->n_gold = n_gold < n_labels ? n_labels : n_gold;
	a->st = calloc(n_rules + 2, sizeof *a->st);
	if (!a->st) {
		free(a);
		return NULL;
	}
	for (size_t i = 0; i < n_rules + 2; i++)
		if (stats_init(&a->st[i], n_labels, a->n_gold)) {
			sift_lfa_free(a);
			return NULL;
		}
	return a;
}

void sift_lfa_free(struct sift_lfa *a)
{
	if (!a)
		return;
	for (size_t i = 0; a->st && i < a->n_rules + 2; i++) {
		free(a->st[i].emitted);
		free(a->st[i].confusion);
	}
	free(a->st);
	free(a);
}

/* A vote v by this rule, set or combiner, against gold g. */
static void add_vote(struct sift_lfa *a, struct sift_lfa_stats *s, int v, int g,
		     double count)
{
	s->covered += count;
	s->emitted[v] += count;
	if (g < 0)
		return;
	s->confusion[(size_t)g * a->n_labels + (size_t)v] += count;
	if (g == v)
		s->correct += count;
	else
		s->incorrect += count;
}

void sift_lfa_add(struct sift_lfa *a, const int *votes, int gold, int combined,
		  double count)
{
	size_t R = a->n_rules, voters = 0;
	int first = -1, mixed = 0;
	struct sift_lfa_stats *set = &a->st[R];

	a->records += count;
	if (gold >= (int)a->n_gold)
		gold = -1;
	for (size_t i = 0; i < R; i++) {
		if (votes[i] < 0)
			continue;
		voters++;
		if (first < 0)
			first = votes[i];
		else if (votes[i] != first)
			mixed = 1;
	}
	for (size_t i = 0; i < R; i++) {
		struct sift_lfa_stats *s = &a->st[i];

		if (votes[i] < 0)
			continue;
		add_vote(a, s, votes[i], gold, count);
		set->emitted[votes[i]] += count;
		if (voters > 1)
			s->overlapped += count;
		for (size_t j = 0; j < R; j++)
			if (votes[j] >= 0 && votes[j] != votes[i]) {
				s->conflicted += count;
				break;
			}
	}
	if (voters) {
		set->covered += count;
		set->overlapped += voters > 1 ? count : 0;
		set->conflicted += mixed ? count : 0;
	}
	if (combined >= 0)
		add_vote(a, &a->st[R + 1], combined, gold, count);
}

double sift_lfa_records(const struct sift_lfa *a)
{
	return a->records;
}

const struct sift_lfa_stats *sift_lfa_rule(const struct sift_lfa *a, size_t i)
{
	return &a->st[i];
}

const struct sift_lfa_stats *sift_lfa_set(const struct sift_lfa *a)
{
	return &a->st[a->n_rules];
}

const struct sift_lfa_stats *sift_lfa_combined(const struct sift_lfa *a)
{
	return &a->st[a->n_rules + 1];
}

double sift_lfa_accuracy(const struct sift_lfa_stats *s)
{
	double n = s->correct + s->incorrect;

	return n > 0 ? s->correct / n : -1;
}
