/*
 * gen-tweets - write a synthetic CSV corpus of tweets with planted
 * misinformation labels, for trying out sift (sampling, labeling and
 * training filters) at realistic scale.
 *
 *   gen-tweets [-n N] [-u U] [-m M] [-p P] [-s SEED] > tweets.csv
 *
 * Columns: id,created_at,user,followers,verified,mentions,text,misinfo
 *
 * Output is a pure function of the options: the random generator is
 * xoshiro256** seeded by splitmix64, only integers are ever printed, dates
 * are computed with integer arithmetic, and the little floating point used
 * while setting up users (Zipf weights, log-normal follower counts, the
 * prevalence calibration) uses only + - * / and sqrt, which IEEE 754
 * defines exactly, plus our own log/exp built from them (never libm's
 * exp/log/pow, whose last bit differs between C libraries).  Fused
 * multiply-add contraction must therefore stay off: GCC does that in ISO C
 * mode (-std=c11), clang honours the pragma below.
 *
 * Standard: C11 + POSIX.1-2008 (+ getopt_long).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#if defined(__clang__) || !defined(__GNUC__)
#pragma STDC FP_CONTRACT OFF
#endif

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROG        "gen-tweets"
#define MAX_USERS   10000000L
#define MAX_MONTHS  1200L
#define OUTBUF_SIZE (1u << 20)
#define TEXT_MAX    2048

/* ------------------------------------------------------------------ */
/* Random numbers: splitmix64 seeding xoshiro256** (Blackman & Vigna)  */

static uint64_t rs[4];

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rnext(void)
{
	const uint64_t result = rotl(rs[1] * 5, 7) * 9;
	const uint64_t t = rs[1] << 17;
	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return result;
}

static void rseed(uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		rs[i] = splitmix64(&x);
}

/* 32 uniform bits */
static inline uint32_t r32(void)
{
	return (uint32_t)(rnext() >> 32);
}

/* uniform integer in [0, n), n >= 1 (multiply-shift; bias < n / 2^32) */
static inline uint32_t below(uint32_t n)
{
	return (uint32_t)(((rnext() >> 32) * (uint64_t)n) >> 32);
}

/* uniform double in [0, 1) */
static double unif(void)
{
	return (double)(rnext() >> 11) * 0x1.0p-53;
}

/* stateless hash of (key, a, b), for per-user facts computed on demand */
static uint64_t hash3(uint64_t key, uint64_t a, uint64_t b)
{
	uint64_t x = key ^ (a * UINT64_C(0xd1342543de82ef95)) ^
		     (b * UINT64_C(0x9e3779b97f4a7c15));
	return splitmix64(&x);
}

/* probability -> 32-bit threshold for "r32() < t" */
static uint32_t prob32(double p)
{
	if (!(p > 0.0))
		return 0;
	if (p >= 1.0)
		return UINT32_MAX;
	return (uint32_t)(p * 4294967296.0);
}

static inline int chance(uint32_t t)
{
	return r32() < t;
}

/* ------------------------------------------------------------------ */
/* Deterministic log/exp from basic IEEE operations                    */

#define LN2 0.69314718055994530942

static double det_log(double x)
{
	int e;
	double m = frexp(x, &e); /* exact: x = m * 2^e, m in [.5,1) */
	if (m < 0.70710678118654752440) {
		m *= 2.0;
		e--;
	}
	double f = (m - 1.0) / (m + 1.0); /* |f| < 0.172 */
	double f2 = f * f, term = f, sum = 0.0;
	for (int k = 1; k <= 41; k += 2) {
		sum += term / k;
		term *= f2;
	}
	double a = 2.0 * sum;
	double b = (double)e * LN2;
	return a + b;
}

static double det_exp(double x)
{
	if (x < -700.0)
		return 0.0;
	if (x > 700.0)
		x = 700.0;
	double kd = floor(x / LN2 + 0.5);
	double kl = kd * LN2;
	double r = x - kl; /* |r| <= 0.35 */
	double term = 1.0, sum = 1.0;
	for (int i = 1; i <= 24; i++) {
		term = term * r / i;
		sum += term;
	}
	return ldexp(sum, (int)kd); /* exact scaling */
}

/* standard normal, Marsaglia polar method */
static double det_normal(void)
{
	double u, v, s;
	do {
		u = 2.0 * unif() - 1.0;
		v = 2.0 * unif() - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	return u * sqrt(-2.0 * det_log(s) / s);
}

/* ------------------------------------------------------------------ */
/* Vocabulary                                                          */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(a)  ((a)[below((uint32_t)NELEM(a))])

static const char *const w_food[] = {
	"pizza",        "tacos",         "ramen",    "sourdough",
	"croissants",   "pho",           "bagels",   "jalapeño poppers",
	"crème brûlée", "dumplings",     "curry",    "lasagna",
	"smoothies",    "avocado toast", "pancakes", "kimchi",
	"paella",       "falafel",       "sushi",    "brownies",
	"chili",        "tomato soup",   "waffles",  "nachos",
	"burritos",     "müsli",         "gelato",   "crêpes",
	"bibimbap",     "garlic bread",  "bánh mì",  "pierogi",
};
static const char *const w_place[] = {
	"the park",
	"the office",
	"the gym",
	"downtown",
	"the airport",
	"the beach",
	"the mall",
	"the library",
	"São Paulo",
	"Zürich",
	"München",
	"Montréal",
	"Kraków",
	"the station",
	"my street",
	"the stadium",
	"the farmers market",
	"Reykjavík",
	"the school",
	"the clinic",
	"the pharmacy",
	"Malmö",
	"the harbor",
	"uptown",
	"Springfield",
	"Riverside",
	"Lakeview",
	"the county fair",
};
static const char *const w_weather[] = {
	"rain",     "snow",     "hail",     "fog",       "thunderstorms",
	"heatwave", "wind",     "sleet",    "drizzle",   "cold snap",
	"humidity", "sunshine", "blizzard", "black ice",
};
static const char *const w_time[] = {
	"this morning", "tonight",   "today",      "yesterday",     "on Monday",
	"all weekend",  "at lunch",  "after work", "since Tuesday", "this week",
	"last night",   "on Friday", "again",      "right now",     "at 3am",
};
static const char *const w_ailment[] = {
	"the flu",   "a cold",      "allergies",      "headaches", "migraines",
	"back pain", "insomnia",    "a sore throat",  "covid",     "fatigue",
	"asthma",    "the measles", "joint pain",     "brain fog", "a fever",
	"cancer",    "autism",      "heart problems",
};
static const char *const w_vaccine[] = {
	"vaccine",         "booster",     "flu shot",
	"mRNA vaccine",    "covid shot",  "jab",
	"measles vaccine", "second dose", "new vaccine",
};
static const char *const w_election[] = {
	"the election",     "mail-in ballots",  "voting machines",
	"the ballot count", "turnout",          "early voting",
	"the recount",      "polling stations", "the primaries",
	"voter rolls",      "the runoff",
};
static const char *const w_pos[] = {
	"amazing",   "great",     "lovely",    "incredible", "solid",
	"perfect",   "wonderful", "fantastic", "decent",     "unreal",
	"brilliant", "cozy",      "fun",       "excellent",  "chef's kiss",
};
static const char *const w_neg[] = {
	"terrible",   "awful", "brutal",  "annoying", "ridiculous", "miserable",
	"exhausting", "weird", "chaotic", "rough",    "painful",    "boring",
};
static const char *const w_person[] = {
	"my mom",     "my neighbor",    "my boss",    "my kid",
	"my doctor",  "a nurse I know", "grandma",    "my roommate",
	"my cousin",  "a coworker",     "my dentist", "my sister",
	"my brother", "my dad",         "a friend",   "the pharmacist",
	"my uncle",   "my landlord",
};
static const char *const w_official[] = {
	"health officials", "the health ministry", "the election commission",
	"the city council", "the weather service", "scientists",
	"the government",   "the media",           "the hospital",
	"the school board", "the mayor",           "the university",
};
static const char *const w_team[] = {
	"the Rovers",   "the Lions",   "the Harbor Hawks", "the Comets",
	"FC Nordstadt", "the Tigers",  "the Mariners",     "Atlético Sur",
	"the Wolves",   "the Falcons", "the Kings",        "the Storm",
};
static const char *const w_sport[] = {
	"soccer",  "basketball",   "the marathon",   "tennis",
	"hockey",  "baseball",     "the derby",      "the final",
	"cricket", "the playoffs", "the Grand Prix",
};
static const char *const w_thing[] = {
	"my phone",    "the laundry", "the dishwasher", "my car",
	"the wifi",    "the bus",     "my laptop",      "the coffee machine",
	"the printer", "my bike",     "the train",      "the elevator",
	"my alarm",    "the heating", "my headphones",  "the fridge",
};
static const char *const w_cure[] = {
	"garlic",           "lemon water",
	"colloidal silver", "apple cider vinegar",
	"turmeric",         "bleach",
	"horse paste",      "essential oils",
	"ginger tea",       "vitamin C megadoses",
	"raw milk",         "hydrogen peroxide",
};
static const char *const w_emoji[] = {
	"😷",    "🦠",    "💉",      "😂",    "❤️", "🔥",    "👍",    "🙏", "😭",
	"🤔", "🌧️", "☀️", "⚽",    "🏀",      "🍕",    "🌮", "☕", "😴",
	"🎉",    "👀",       "💯",      "🙄", "😅",      "🥳", "✨",
};
static const char *const w_alarm[] = {
	"🚨", "⚠️", "‼️", "👀", "🤔", "💉",    "🦠",
	"😷", "🤡",   "🇺🇸",     "🔥", "😡",    "🧐",
};

/* topics, used for hashtags */
enum {
	T_HEALTH,
	T_VACCINE,
	T_ELECTION,
	T_WEATHER,
	T_SPORTS,
	T_FOOD,
	T_LIFE,
	N_TOPICS
};

static const char *const tags[N_TOPICS][6] = {
	{ "#health", "#wellness", "#flu", "#covid", "#selfcare", "#santé" },
	{ "#vaccine", "#vaccineswork", "#getvaccinated", "#vaxxed", "#mRNA",
	  "#publichealth" },
	{ "#election", "#vote", "#democracy", "#election2024", "#ivoted",
	  "#ballot" },
	{ "#weather", "#rain", "#heatwave", "#climate", "#storm", "#forecast" },
	{ "#matchday", "#football", "#nba", "#gameday", "#sports", "#goal" },
	{ "#foodie", "#yum", "#brunch", "#homecooking", "#café", "#dinner" },
	{ "#mondaymood", "#life", "#coffee", "#weekend", "#tgif", "#mood" },
};
static const char *const mistags[] = {
	"#truth",     "#exposed",   "#wakeupcall",         "#nomorelies",
	"#freedom",   "#plandemic", "#questioneverything", "#hoax",
	"#bigpharma",
};

struct tpl {
	const char *s;
	int topic;
};

/* ordinary tweets, one pool per topic */
static const struct tpl ord_health[] = {
	{ "%N has %H %D, lots of tea and rest", T_HEALTH },
	{ "anyone else dealing with %H %D? it's %B", T_HEALTH },
	{ "finally over %H, back to %P tomorrow", T_HEALTH },
	{ "%N told me to drink water and sleep, turns out that works for %H",
	  T_HEALTH },
	{ "waiting room at %P is packed, %H season is here", T_HEALTH },
	{ "new study says walking %n minutes a day helps with %H", T_HEALTH },
	{ "%O recommend rest, fluids and a mask if you have %H", T_HEALTH },
	{ "pharmacy line took %n minutes %D, %B", T_HEALTH },
	{ "%N says \"it's just %H\" every single time", T_HEALTH },
	{ "day %m of %H. send soup", T_HEALTH },
};
static const struct tpl ord_vaccine[] = {
	{ "got my %V %D, arm is a bit sore but fine", T_VACCINE },
	{ "%N got the %V and felt tired for a day, that's it", T_VACCINE },
	{ "booked the kids' %V appointments at %P", T_VACCINE },
	{ "reminder: %O say the %V is free at %P this week", T_VACCINE },
	{ "the %V trial data is public, %k participants, read it yourself",
	  T_VACCINE },
	{ "my doctor said \"side effects mean your immune system is working\" "
	  "and honestly, fair",
	  T_VACCINE },
	{ "%V done, sticker acquired %J", T_VACCINE },
	{ "clinic at %P has walk-in %V slots %D", T_VACCINE },
};
static const struct tpl ord_election[] = {
	{ "voted %D at %P, took %n minutes", T_ELECTION },
	{ "long line at %P but moving fast, go vote", T_ELECTION },
	{ "results for %E should be in by tonight, %O says", T_ELECTION },
	{ "volunteered at %P counting ballots, %A team", T_ELECTION },
	{ "audit of %E finished, no major issues found", T_ELECTION },
	{ "debate tonight, grabbing %F and watching", T_ELECTION },
	{ "reminder: check your registration before %E", T_ELECTION },
	{ "the candidate said \"we will win %P\" and the crowd went wild",
	  T_ELECTION },
};
static const struct tpl ord_weather[] = {
	{ "%W in %P %D, of course I forgot my umbrella", T_WEATHER },
	{ "%W %D, %B commute", T_WEATHER },
	{ "%O issued a warning for %W tonight", T_WEATHER },
	{ "loving this %W, perfect day for %F", T_WEATHER },
	{ "the forecast said \"sunny\". it is not sunny", T_WEATHER },
	{ "%m degrees and %W, make up your mind", T_WEATHER },
	{ "power is out in %P because of %W", T_WEATHER },
};
static const struct tpl ord_sports[] = {
	{ "%S won %m-%m, what a game", T_SPORTS },
	{ "%S lost again, %B defending", T_SPORTS },
	{ "watching %G at %P with %N", T_SPORTS },
	{ "can't believe %S traded their best player, %B", T_SPORTS },
	{ "%G tonight, who's coming?", T_SPORTS },
	{ "ran %m km %D, legs are done", T_SPORTS },
	{ "that penalty was rigged lol, %S got robbed", T_SPORTS },
	{ "%S fans at %P are %A", T_SPORTS },
};
static const struct tpl ord_food[] = {
	{ "just had the best %F at %P", T_FOOD },
	{ "made %F from scratch %D, %A", T_FOOD },
	{ "hot take: %F is overrated", T_FOOD },
	{ "%N made %F, I'm not sharing", T_FOOD },
	{ "is it too late for %F? asking for a friend", T_FOOD },
	{ "\"%F for breakfast\" is a lifestyle", T_FOOD },
	{ "%F, %F and more %F. %A weekend", T_FOOD },
	{ "new place near %P does %F, %A", T_FOOD },
};
static const struct tpl ord_life[] = {
	{ "%T stopped working %D, %B", T_LIFE },
	{ "coffee, %F, and a nap. %A", T_LIFE },
	{ "%N just texted me \"call me\" with no context", T_LIFE },
	{ "%n emails before 9am, send help", T_LIFE },
	{ "stuck on the train %D, %B", T_LIFE },
	{ "finished a book %D, %A ending", T_LIFE },
	{ "%T is making a noise again", T_LIFE },
	{ "moving to %P next month, any tips?", T_LIFE },
	{ "why does %T always break on a Monday", T_LIFE },
	{ "%N is visiting %D, cleaning everything", T_LIFE },
};

/* everyday uses of two of the misinformation phrases */
static const struct tpl confound[] = {
	{ "had to wake up at %m for a flight, never again", T_LIFE },
	{ "my new phone finally gets 5G at %P", T_LIFE },
	{ "wake up call: %n unread emails %D", T_LIFE },
	{ "5G at %P is faster than my home wifi, %A", T_LIFE },
};

/* ordinary tweets that use the misinformation vocabulary (debunking) */
static const struct tpl debunk[] = {
	{ "the microchip hoax is nonsense, a needle that small can't carry a "
	  "chip",
	  T_VACCINE },
	{ "no, 5G does not cause %H. please stop sharing that", T_HEALTH },
	{ "\"do your own research\" does not mean watching one video",
	  T_HEALTH },
	{ "saw another plandemic post from %N %D, sigh", T_HEALTH },
	{ "there is no miracle cure for %H, just rest and fluids", T_HEALTH },
	{ "people in my replies yelling \"wake up\" again lol", T_LIFE },
	{ "big pharma has real problems, but the %V isn't one of them",
	  T_VACCINE },
	{ "calling every storm a hoax doesn't make %W less wet", T_WEATHER },
	{ "fact check: the %E fraud hoax was debunked by %O", T_ELECTION },
	{ "\"they don't want you to know\" is how every scam starts", T_LIFE },
	{ "%N thinks %C is a miracle cure. it is not", T_HEALTH },
	{ "reading about the 5G conspiracy, people really believe this?",
	  T_HEALTH },
};

/* misinformation claims using the well-known phrases */
static const struct tpl claim_kw[] = {
	{ "the %V is a hoax, %O knows it", T_VACCINE },
	{ "this whole plandemic was planned, do your own research", T_HEALTH },
	{ "they put a microchip in the %V, look it up", T_VACCINE },
	{ "%C is the miracle cure for %H they don't want you to know about",
	  T_HEALTH },
	{ "wake up people, %E was rigged", T_ELECTION },
	{ "5G towers in %P are causing %H, nobody is talking about it",
	  T_HEALTH },
	{ "big pharma makes billions off %H while %C cures it for pennies",
	  T_HEALTH },
	{ "do your own research on the %V before it's too late", T_VACCINE },
	{ "%n people got %H after the %V. wake up", T_VACCINE },
	{ "the %W in %P is geoengineered, they don't want you to know",
	  T_WEATHER },
	{ "plandemic 2.0 is coming, %O already bought the masks", T_HEALTH },
	{ "why is %O hiding the 5G maps?", T_HEALTH },
	{ "climate \"crisis\" is a hoax, it was colder %D", T_WEATHER },
	{ "big pharma won't tell you that %C kills %H in 48 hours", T_HEALTH },
	{ "the microchip is in the %V, %N's phone started pairing with it",
	  T_VACCINE },
	{ "%E is a hoax run by %O, they don't want you to know who really won",
	  T_ELECTION },
};

/* misinformation claims without the well-known phrases */
static const struct tpl claim_plain[] = {
	{ "%n people in %P got sick right after the %V and nobody is reporting "
	  "it",
	  T_VACCINE },
	{ "%O changed the numbers overnight, screenshot this before it's "
	  "deleted",
	  T_ELECTION },
	{ "%N works at %P and says ballots from %E were shredded", T_ELECTION },
	{ "drink %C every %m hours and %H disappears, doctors hate this",
	  T_HEALTH },
	{ "the %W in %P was made by planes spraying chemicals", T_WEATHER },
	{ "voting machines flipped %k votes in %P, share before they delete it",
	  T_ELECTION },
	{ "%H rates went up %n%% since the %V rollout, coincidence?",
	  T_VACCINE },
	{ "%O admitted the %V changes your DNA", T_VACCINE },
	{ "dead people voted in %P, %k of them", T_ELECTION },
	{ "masks make %H worse and %O knows", T_HEALTH },
	{ "hospitals in %P are empty, the whole thing is staged", T_HEALTH },
	{ "%N stopped the %V and %H went away in %m days", T_VACCINE },
};

/* vague posts both classes write */
static const struct tpl borderline[] = {
	{ "heard %C helps with %H, anyone tried it?", T_HEALTH },
	{ "my neighbor got %H a week after the %V, weird", T_VACCINE },
	{ "long lines at %P, something feels off about %E this year",
	  T_ELECTION },
	{ "the numbers from %O don't add up to me", T_ELECTION },
	{ "not anti-vax, just asking questions about the %V", T_VACCINE },
	{ "%C and rest got me through %H, no pills needed", T_HEALTH },
	{ "why did %O delete that post about the %V?", T_VACCINE },
	{ "so many towers going up in %P lately, what are they for", T_HEALTH },
	{ "strange weather lately, %W in %P in the middle of summer",
	  T_WEATHER },
	{ "who actually checks %E results? genuine question", T_ELECTION },
};

static const char *const openers_mis[] = {
	"BREAKING: ", "PSA: ",    "Honestly, ",      "Read this: ",
	"Ok, ",       "URGENT: ", "Not gonna lie, ",
};
static const char *const openers_ord[] = {
	"Honestly, ", "Ok, ", "Lol, ",  "Update: ",   "Not gonna lie, ",
	"PSA: ",      "So, ", "Well, ", "Fun fact: ", "Ugh, ",
};
static const char *const fill_mis[] = {
	"Wake up.",
	"Do your own research.",
	"Share before they delete it.",
	"Think about it.",
	"Connect the dots.",
	"Just asking questions.",
	"Spread the word.",
	"Thoughts?",
	"Why is nobody talking about this?",
	"RT if you agree.",
};
static const char *const fill_ord[] = {
	"Thoughts?",
	"Anyway.",
	"Love it.",
	"Never again.",
	"Can't make this up.",
	"Stay safe, everyone.",
	"Anyway, back to work.",
	"Just saying.",
	"As my grandpa says, \"it is what it is.\"",
	"10/10 would recommend.",
	"Send help.",
	"Happy Friday!",
	"Wish me luck.",
	"So proud!",
	"Long day.",
	"Spread the word.",
	"RT if you agree.",
	"Details, pics, everything tomorrow.",
};
static const char *const react_mis[] = { "this.", "exactly", "💯", "!!!" };
static const char *const react_ord[] = { "lol", "source?", "yikes", "🤔",
					 "ok then" };

/* link domains (all fictional) */
static const char *const dom_reliable[] = {
	"example-news.com",    "dailyledger.com",      "metro-tribune.com",
	"healthdesk.org",      "sciencebrief.org",     "cityherald.net",
	"globalwire-news.com", "factcheck-hub.org",    "the-morning-post.com",
	"regional-times.co",   "sportsdesk-daily.com", "foodiemag.net",
	"weatherwatch.org",    "civic-report.org",     "medjournal-news.org",
	"techtides.com",       "eurozeit-online.eu",   "northern-gazette.com",
	"openstats.info",      "clinic-notes.net",
};
static const char *const dom_dubious[] = {
	"truthbomb-daily.info",   "patriot-eagle-news.net",
	"realhealth-secrets.com", "freedomwire24.com",
	"awake-nation.org",       "naturalcures-now.net",
	"hidden-facts.info",      "redpill-report.com",
	"medfreedom.tv",          "the-real-story.net",
};
static const char *const url_paths[] = {
	"/a/", "/news/", "/p/", "/story/", "/video/", "/watch?v=", "/2024/",
};

/* ------------------------------------------------------------------ */
/* Text buffer                                                         */

static char text[TEXT_MAX];
static size_t tl;

static void put(const char *s)
{
	size_t n = strlen(s);
	if (tl + n > TEXT_MAX - 16)
		n = tl < TEXT_MAX - 16 ? TEXT_MAX - 16 - tl : 0;
	memcpy(text + tl, s, n);
	tl += n;
}

static void putc_(char c)
{
	if (tl < TEXT_MAX - 16)
		text[tl++] = c;
}

static void put_uint(uint64_t v)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		putc_(tmp[--n]);
}

/* expand a template: %X inserts a random word from list X */
static void expand(const char *t)
{
	for (; *t; t++) {
		if (*t != '%') {
			putc_(*t);
			continue;
		}
		switch (*++t) {
		case 'F':
			put(PICK(w_food));
			break;
		case 'P':
			put(PICK(w_place));
			break;
		case 'W':
			put(PICK(w_weather));
			break;
		case 'D':
			put(PICK(w_time));
			break;
		case 'H':
			put(PICK(w_ailment));
			break;
		case 'V':
			put(PICK(w_vaccine));
			break;
		case 'E':
			put(PICK(w_election));
			break;
		case 'A':
			put(PICK(w_pos));
			break;
		case 'B':
			put(PICK(w_neg));
			break;
		case 'N':
			put(PICK(w_person));
			break;
		case 'O':
			put(PICK(w_official));
			break;
		case 'S':
			put(PICK(w_team));
			break;
		case 'G':
			put(PICK(w_sport));
			break;
		case 'T':
			put(PICK(w_thing));
			break;
		case 'C':
			put(PICK(w_cure));
			break;
		case 'J':
			put(PICK(w_emoji));
			break;
		case 'n':
			put_uint(2 + below(98));
			break;
		case 'm':
			put_uint(1 + below(12));
			break;
		case 'k':
			put_uint(1000 + below(99000));
			break;
		case '%':
			putc_('%');
			break;
		default: /* template bug: keep text as is */
			putc_('%');
			if (*t)
				putc_(*t);
			else
				t--;
			break;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Output                                                              */

static char obuf[OUTBUF_SIZE];
static size_t opos;

_Noreturn static void write_failed(void)
{
	int e = errno;
	if (e == EPIPE)
		_exit(0); /* reader went away: quiet success */
	fprintf(stderr, PROG ": write error: %s\n",
		e ? strerror(e) : "unknown error");
	_exit(1);
}

static void oflush(void)
{
	if (opos) {
		errno = 0;
		if (fwrite(obuf, 1, opos, stdout) != opos)
			write_failed();
		opos = 0;
	}
}

static char *fmt_u64(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *fmt_pad(char *p, uint64_t v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

static char *fmt_2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/* ------------------------------------------------------------------ */
/* Users                                                               */

enum { F_VERIFIED = 1, F_SPREADER = 2, F_ALWAYS = 4 };

static long n_users;
static int handle_w;        /* digits in a handle */
static uint64_t *cum;       /* Zipf CDF over activity ranks, in 2^-53 */
static uint32_t *rank_user; /* activity rank -> user index */
static uint32_t *followers;
static uint32_t *mis_thr; /* per-user P(misinfo), in 2^-32 */
static unsigned char *uflags;
static uint32_t *spreaders;
static uint32_t n_spreaders;
static uint64_t friend_key;

static uint32_t zipf_rank(uint64_t r53)
{
	uint32_t lo = 0, hi = (uint32_t)(n_users - 1);
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (cum[mid] > r53)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static inline uint32_t draw_active_user(void)
{
	return rank_user[zipf_rank(rnext() >> 11)];
}

/* the j-th of user u's preferred contacts: computed, not stored */
static uint32_t friend_of(uint32_t u, uint32_t j)
{
	uint64_t h = hash3(friend_key, u, j);
	uint32_t f;
	unsigned sel = (unsigned)(h & 0xff);
	if ((uflags[u] & F_SPREADER) && n_spreaders > 1 && sel < 170)
		f = spreaders[(h >> 8) % n_spreaders]; /* echo chamber */
	else if (sel < 96)
		f = rank_user[zipf_rank(hash3(friend_key, u, j + 1000) >> 11)];
	else
		f = (uint32_t)((h >> 16) % (uint64_t)n_users);
	if (f == u)
		f = (uint32_t)((u + 1 + (h >> 40) % (uint64_t)(n_users - 1)) %
			       (uint64_t)n_users);
	return f;
}

static uint32_t n_friends(uint32_t u)
{
	return 3 + (uint32_t)(hash3(friend_key, u, UINT64_C(0xfffff)) % 6);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(1);
	}
	return p;
}

static void setup_users(double prevalence)
{
	long U = n_users;
	double *w = xcalloc((size_t)U, sizeof *w);
	double *act = xcalloc((size_t)U, sizeof *act);

	cum = xcalloc((size_t)U, sizeof *cum);
	rank_user = xcalloc((size_t)U, sizeof *rank_user);
	followers = xcalloc((size_t)U, sizeof *followers);
	mis_thr = xcalloc((size_t)U, sizeof *mis_thr);
	uflags = xcalloc((size_t)U, 1);

	handle_w = 5;
	for (long t = 100000; t <= U; t *= 10)
		handle_w++;

	/* activity: Zipf(1.1) over ranks, ranks randomly assigned to users */
	double total = 0.0;
	for (long r = 0; r < U; r++) {
		w[r] = det_exp(-1.1 * det_log((double)(r + 1)));
		total += w[r];
	}
	double part = 0.0;
	for (long r = 0; r < U; r++) {
		part += w[r];
		double c = part / total * 9007199254740992.0;
		cum[r] = c >= 9007199254740992.0 ? (UINT64_C(1) << 53)
						 : (uint64_t)c;
	}
	cum[U - 1] = UINT64_C(1) << 53;
	for (long i = 0; i < U; i++)
		rank_user[i] = (uint32_t)i;
	for (long i = U - 1; i > 0; i--) {
		uint32_t j = below((uint32_t)(i + 1));
		uint32_t t = rank_user[i];
		rank_user[i] = rank_user[j];
		rank_user[j] = t;
	}

	/* followers: log-normal(5, 2), capped; verified favours big accounts */
	for (long u = 0; u < U; u++) {
		double zz = det_normal();
		double f = det_exp(5.0 + 2.0 * zz);
		if (f > 50000000.0)
			f = 50000000.0;
		followers[u] = (uint32_t)f;
		uint32_t pv = zz > 2.5   ? prob32(0.70)
			      : zz > 1.5 ? prob32(0.30)
					 : prob32(0.01);
		if (chance(pv))
			uflags[u] |= F_VERIFIED;
	}

	/* misinformation propensity; the few most active accounts (a good
	 * share of all tweets under Zipf) are kept ordinary so that no single
	 * user dominates the positives */
	long min_rank = U >= 500 ? 10 : 0;
	for (long r = 0; r < U; r++) {
		uint32_t u = rank_user[r];
		if (uflags[u] & F_VERIFIED)
			w[u] = 0.05;
		else if (r >= min_rank && chance(prob32(0.08)))
			w[u] = 3.0 + 3.0 * unif(); /* susceptible */
		else
			w[u] = 0.3 + 1.4 * unif();
	}
	/* spreaders: ~2% of users, never verified, never the very top accounts
	 */
	long want = U / 50;
	if (want == 0 && U >= 5)
		want = 1;
	spreaders = xcalloc((size_t)(want ? want : 1), sizeof *spreaders);
	n_spreaders = 0;
	for (long tries = 0; (long)n_spreaders < want && tries < 50 * U;
	     tries++) {
		uint32_t rk =
			(uint32_t)min_rank + below((uint32_t)(U - min_rank));
		uint32_t u = rank_user[rk];
		if (uflags[u] & (F_VERIFIED | F_SPREADER))
			continue;
		uflags[u] |= F_SPREADER;
		spreaders[n_spreaders++] = u;
		w[u] = 25.0 + 25.0 * unif();
		/* spreaders skew towards larger audiences */
		if (followers[u] < 2000)
			followers[u] = followers[u] * 4 + 200;
	}

	/* calibrate: choose s so that sum_r a_r * min(1, s * w_u) == P */
	if (prevalence >= 1.0) {
		for (long u = 0; u < U; u++)
			uflags[u] |= F_ALWAYS;
	} else if (prevalence > 0.0) {
		double lo = 0.0, hi = 1.0, wmin = w[0];
		for (long u = 1; u < U; u++)
			if (w[u] < wmin)
				wmin = w[u];
		hi = 1.0 / wmin;
		uint64_t prev = 0;
		for (long r = 0; r < U; r++) { /* activity share of each user */
			act[rank_user[r]] = (double)(cum[r] - prev) * 0x1.0p-53;
			prev = cum[r];
		}
		for (int it = 0; it < 64; it++) {
			double s = 0.5 * (lo + hi), e = 0.0;
			for (long u = 0; u < U; u++) {
				double p = s * w[u];
				e += act[u] * (p < 1.0 ? p : 1.0);
			}
			if (e < prevalence)
				lo = s;
			else
				hi = s;
		}
		double s = 0.5 * (lo + hi);
		for (long u = 0; u < U; u++) {
			double p = s * w[u];
			if (p >= 1.0)
				uflags[u] |= F_ALWAYS;
			else
				mis_thr[u] = (uint32_t)(p * 4294967296.0 + 0.5);
		}
	}
	friend_key = rnext();
	free(w);
	free(act);
}

/* ------------------------------------------------------------------ */
/* Tweets                                                              */

/* class-dependent rates, as 32-bit thresholds */
static uint32_t t_debunk, t_satire, t_border0, t_dub0, t_fillmis0, t_mistag0;

static void setup_rates(double p)
{
	/* Ordinary tweets talk about the misinformation in proportion to how
	 * much of it circulates: these rates scale with the odds P/(1-P), so
	 * a keyword's (or a dubious domain's) precision is roughly the same,
	 * 0.2-0.7, whatever P is. */
	double odds = p < 1.0 ? p / (1.0 - p) : 1e9;
	double d;
	d = 0.36 * odds;
	t_debunk = prob32(d < 0.25 ? d : 0.25);
	d = 0.12 * odds;
	t_satire = prob32(d < 0.12 ? d : 0.12);
	t_border0 = prob32(0.015);
	d = 1.0 * odds;
	t_dub0 = prob32(d < 0.5 ? d : 0.5);
	d = 0.05 * odds;
	t_fillmis0 = prob32(d < 0.1 ? d : 0.1);
	d = 0.15 * odds;
	t_mistag0 = prob32(d < 0.2 ? d : 0.2);
}

static const struct tpl *pick_tpl(const struct tpl *a, size_t n)
{
	return &a[below((uint32_t)n)];
}
#define PICK_TPL(a) pick_tpl((a), NELEM(a))

static const struct tpl *ordinary_tpl(int serious_only)
{
	uint32_t r = below(100);
	if (serious_only) { /* misinfo dressed as news */
		if (r < 30)
			return PICK_TPL(ord_health);
		if (r < 60)
			return PICK_TPL(ord_vaccine);
		if (r < 85)
			return PICK_TPL(ord_election);
		return PICK_TPL(ord_weather);
	}
	if (below(10000) < 30)
		return PICK_TPL(confound);
	if (r < 12)
		return PICK_TPL(ord_health);
	if (r < 20)
		return PICK_TPL(ord_vaccine);
	if (r < 32)
		return PICK_TPL(ord_election);
	if (r < 46)
		return PICK_TPL(ord_weather);
	if (r < 62)
		return PICK_TPL(ord_sports);
	if (r < 78)
		return PICK_TPL(ord_food);
	return PICK_TPL(ord_life);
}

static char mbuf[64]; /* mentions field */
static size_t ml;

static void make_mentions(uint32_t u)
{
	uint32_t chosen[3];
	int c = 0, want;
	uint32_t r = below(100);
	ml = 0;
	mbuf[0] = 0;
	if (n_users < 2)
		return;
	want = r < 62 ? 0 : r < 88 ? 1 : r < 97 ? 2 : 3;
	uint32_t nf = n_friends(u);
	for (int i = 0; i < want; i++) {
		for (int attempt = 0; attempt < 4; attempt++) {
			uint32_t v = below(100) < 85 ? friend_of(u, below(nf))
						     : draw_active_user();
			int dup = v == u;
			for (int k = 0; k < c && !dup; k++)
				dup = chosen[k] == v;
			if (!dup) {
				chosen[c++] = v;
				break;
			}
		}
	}
	for (int k = 0; k < c; k++) {
		if (k)
			mbuf[ml++] = ' ';
		mbuf[ml++] = '@';
		mbuf[ml++] = 'u';
		fmt_pad(mbuf + ml, (uint64_t)chosen[k] + 1, handle_w);
		ml += (size_t)handle_w;
	}
	mbuf[ml] = 0;
}

static void put_url(int mis)
{
	const char *dom;
	if (mis) {
		if (below(100) < 65) {
			/* three outlets carry most of it */
			dom = below(100) < 55
				      ? dom_dubious[below(3)]
				      : dom_dubious[3 +
						    below(NELEM(dom_dubious) -
							  3)];
		} else {
			dom = PICK(dom_reliable);
		}
	} else {
		dom = chance(t_dub0) ? PICK(dom_dubious) : PICK(dom_reliable);
	}
	put("https://");
	put(dom);
	put(PICK(url_paths));
	put_uint(10000 + below(990000));
}

static void put_tags(int mis, int topic)
{
	/* one or two tags; the second never repeats the first */
	int n = 1 + (below(100) < 30);
	uint32_t tfirst = below(6), mfirst = below((uint32_t)NELEM(mistags));
	for (int i = 0; i < n; i++) {
		if (i)
			putc_(' ');
		if (mis ? below(100) < 45 : chance(t_mistag0))
			put(mistags[(mfirst + (uint32_t)i) % NELEM(mistags)]);
		else
			put(tags[topic][(tfirst + (uint32_t)i) % 6]);
	}
}

/* build the text of one tweet into text[] */
static void make_text(int mis)
{
	const struct tpl *tp;
	uint32_t r = r32();

	tl = 0;
	if (mis) {
		uint32_t k = below(100);
		if (k < 50)
			tp = PICK_TPL(claim_kw);
		else if (k < 70)
			tp = PICK_TPL(claim_plain);
		else if (k < 90)
			tp = PICK_TPL(borderline);
		else
			tp = ordinary_tpl(1);
	} else {
		if (r < t_debunk)
			tp = PICK_TPL(debunk);
		else if (r - t_debunk < t_satire) /* quoting / satire */
			tp = below(2) ? PICK_TPL(claim_kw)
				      : PICK_TPL(claim_plain);
		else if (chance(t_border0))
			tp = PICK_TPL(borderline);
		else
			tp = ordinary_tpl(0);
	}

	int reply = ml && below(100) < 75;
	if (reply) {
		put(mbuf);
		putc_(' ');
	}

	/* main sentence, maybe with an opener, maybe quoted */
	int quoted = below(1000) < 25;
	if (quoted)
		putc_('"');
	size_t start = tl;
	if (below(100) < (mis ? 15u : 9u))
		put(mis ? PICK(openers_mis) : PICK(openers_ord));
	expand(tp->s);
	/* capitalisation: sometimes sentence case, sometimes SHOUTING */
	if (below(100) < (mis ? 12u : 2u)) {
		for (size_t i = start; i < tl; i++)
			if (text[i] >= 'a' && text[i] <= 'z')
				text[i] = (char)(text[i] - 'a' + 'A');
	} else if (below(100) < 40 && text[start] >= 'a' &&
		   text[start] <= 'z') {
		text[start] = (char)(text[start] - 'a' + 'A');
	}
	if (quoted) {
		putc_('"');
		putc_(' ');
		put(mis ? PICK(react_mis) : PICK(react_ord));
	}
	if (below(100) < (mis ? 15u : 3u))
		put("!!!");

	/* what follows: filler sentence, emoji, hashtags, link */
	int fill = 0;
	const char *fill_s = NULL;
	if (mis ? below(100) < 22 : chance(t_fillmis0)) {
		fill_s = PICK(fill_mis);
		fill = 1;
	} else if (below(100) < 18) {
		fill_s = PICK(fill_ord);
		fill = 1;
	}
	int ntags = below(100) < (mis ? 35u : 25u);
	int url = below(100) < (mis ? 55u : 28u);

	/* about 1.2% of tweets contain a line break */
	int nl = below(10000) < 120;
	if (nl && !fill && !ntags && !url) {
		fill_s = PICK(fill_ord);
		fill = 1;
	}
	int nl_at = nl ? (fill && (ntags || url) ? (int)below(2) + 1
			  : fill                 ? 1
						 : 2)
		       : 0;
	const char *nls = "\n";
	if (nl) {
		uint32_t k = below(100);
		nls = k < 10 ? "\r\n" : k < 25 ? "\n\n" : "\n";
	}

	if (fill) {
		char last = tl ? text[tl - 1] : '.';
		if (last != '.' && last != '!' && last != '?' &&
		    below(100) < 60)
			putc_('.');
		put(nl_at == 1 ? nls : " ");
		put(fill_s);
	}
	if (below(100) < (mis ? 30u : 20u)) {
		int ne = 1 + (int)below(3);
		if (!(mis && below(2)))
			putc_(' ');
		for (int i = 0; i < ne; i++)
			put(mis && below(100) < 70 ? PICK(w_alarm)
						   : PICK(w_emoji));
	}
	if (ntags || url) {
		put(nl_at == 2 ? nls : " ");
		int url_first = url && ntags && below(2);
		if (url_first) {
			put_url(mis);
			putc_(' ');
		}
		if (ntags)
			put_tags(mis, tp->topic);
		if (url && !url_first) {
			if (ntags)
				putc_(' ');
			put_url(mis);
		}
	}
	if (ml && !reply) {
		put(below(2) ? " cc " : " via ");
		put(mbuf);
	}
}

/* ------------------------------------------------------------------ */
/* Calendar                                                            */

static int days_in_month(long y, int m)
{
	static const int d[12] = { 31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* floor(n * a / b) without overflow, for a <= b and b * b < 2^63 */
static uint64_t muldiv(uint64_t n, uint64_t a, uint64_t b)
{
	return n / b * a + (n % b) * a / b;
}

/* ------------------------------------------------------------------ */
/* Options                                                             */

static const char usage_line[] =
	"usage: gen-tweets [-n N] [-u U] [-m M] [-p P] [-s SEED] [-h]\n";

static void help(void)
{
	printf("%s", usage_line);
	printf("Write a synthetic CSV corpus of tweets with misinformation "
	       "labels.\n"
	       "\n"
	       "  -n, --tweets N      number of tweets (default 10000000)\n"
	       "  -u, --users U       number of users, 1..%ld (default 10000)\n"
	       "  -m, --months M      months covered from 2023-01, 1..%ld "
	       "(default 24)\n"
	       "  -p, --prevalence P  share of misinformation tweets, 0..1 "
	       "(default 0.01)\n"
	       "  -s, --seed S        random seed (default 1); same seed and "
	       "options give\n"
	       "                      byte-identical output\n"
	       "  -h, --help          show this help\n"
	       "\n"
	       "Columns: "
	       "id,created_at,user,followers,verified,mentions,text,misinfo\n",
	       MAX_USERS, MAX_MONTHS);
	if (fflush(stdout) != 0)
		write_failed();
}

_Noreturn static void bad(const char *what, const char *arg)
{
	if (arg)
		fprintf(stderr, PROG ": %s: '%s'\n%s", what, arg, usage_line);
	else
		fprintf(stderr, PROG ": %s\n%s", what, usage_line);
	exit(2);
}

static int parse_ll(const char *s, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (end == s || *end || errno)
		return 0;
	*out = v;
	return 1;
}

int main(int argc, char **argv)
{
	long long n_tweets = 10000000, users = 10000, months = 24;
	double prevalence = 0.01;
	uint64_t seed = 1;

	static const struct option longopts[] = {
		{ "tweets", required_argument, NULL, 'n' },
		{ "users", required_argument, NULL, 'u' },
		{ "months", required_argument, NULL, 'm' },
		{ "prevalence", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":n:u:m:p:s:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'n':
			if (!parse_ll(optarg, &n_tweets) || n_tweets < 0)
				bad("invalid number of tweets", optarg);
			break;
		case 'u':
			if (!parse_ll(optarg, &users) || users < 1 ||
			    users > MAX_USERS)
				bad("invalid number of users", optarg);
			break;
		case 'm':
			if (!parse_ll(optarg, &months) || months < 1 ||
			    months > MAX_MONTHS)
				bad("invalid number of months", optarg);
			break;
		case 'p': {
			char *end;
			errno = 0;
			prevalence = strtod(optarg, &end);
			if (end == optarg || *end || errno ||
			    !(prevalence >= 0.0 && prevalence <= 1.0))
				bad("invalid prevalence (want 0..1)", optarg);
			break;
		}
		case 's': {
			char *end;
			const char *q = optarg;
			while (*q == ' ' || *q == '\t')
				q++;
			errno = 0;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (*q == '-' || end == optarg || *end || errno)
				bad("invalid seed", optarg);
			seed = (uint64_t)v;
			break;
		}
		case 'h':
			help();
			return 0;
		case ':':
			bad("option requires an argument", argv[optind - 1]);
			break;
		default:
			if (optopt) {
				char o[3] = { '-', (char)optopt, 0 };
				bad("unknown option", o);
			}
			bad("unknown option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		bad("unexpected argument", argv[optind]);

	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOFBF, OUTBUF_SIZE);

	rseed(seed);
	n_users = (long)users;
	setup_users(prevalence);
	setup_rates(prevalence);

	static const char header[] =
		"id,created_at,user,followers,verified,mentions,text,misinfo\n";
	memcpy(obuf, header, sizeof header - 1);
	opos = sizeof header - 1;

	/* tweets per month grow linearly: weight of month i is M + i */
	uint64_t N = (uint64_t)n_tweets, M = (uint64_t)months;
	uint64_t W = M * M + M * (M - 1) / 2;
	uint64_t id = 0, done = 0;
	for (uint64_t mi = 0; mi < M; mi++) {
		uint64_t cw = (mi + 1) * M + (mi + 1) * mi / 2;
		uint64_t upto = mi + 1 == M ? N : muldiv(N, cw, W);
		uint64_t cnt = upto - done;
		done = upto;
		long year = 2023 + (long)(mi / 12);
		int mon = (int)(mi % 12) + 1;
		uint64_t S = (uint64_t)days_in_month(year, mon) * 86400;
		char prefix[8];
		fmt_pad(prefix, (uint64_t)year, 4);
		prefix[4] = '-';
		fmt_2(prefix + 5, (unsigned)mon);
		prefix[7] = '-';

		/* tweet j lands in [floor(jS/cnt), floor((j+1)S/cnt)): sorted
		 */
		uint64_t q = 0, rem = 0, dq = cnt ? S / cnt : 0,
			 dr = cnt ? S % cnt : 0;
		for (uint64_t j = 0; j < cnt; j++) {
			uint64_t nq = q + dq, nrem = rem + dr;
			if (nrem >= cnt) {
				nq++;
				nrem -= cnt;
			}
			uint64_t width = nq - q;
			uint64_t t =
				q + (width > 1 ? below((uint32_t)width) : 0);
			q = nq;
			rem = nrem;

			uint32_t u = draw_active_user();
			int mis =
				(uflags[u] & F_ALWAYS) ? 1 : r32() < mis_thr[u];
			make_mentions(u);
			make_text(mis);

			if (opos > OUTBUF_SIZE - 3 * TEXT_MAX)
				oflush();
			char *p = obuf + opos;
			p = fmt_u64(p, ++id);
			*p++ = ',';
			memcpy(p, prefix, 8);
			p += 8;
			unsigned day = (unsigned)(t / 86400),
				 sec = (unsigned)(t % 86400);
			p = fmt_2(p, day + 1);
			*p++ = 'T';
			p = fmt_2(p, sec / 3600);
			*p++ = ':';
			p = fmt_2(p, sec / 60 % 60);
			*p++ = ':';
			p = fmt_2(p, sec % 60);
			*p++ = 'Z';
			*p++ = ',';
			*p++ = 'u';
			p = fmt_pad(p, (uint64_t)u + 1, handle_w);
			*p++ = ',';
			p = fmt_u64(p, followers[u]);
			if (uflags[u] & F_VERIFIED) {
				memcpy(p, ",true,", 6);
				p += 6;
			} else {
				memcpy(p, ",false,", 7);
				p += 7;
			}
			memcpy(p, mbuf, ml);
			p += ml;
			*p++ = ',';
			int needq = 0;
			for (size_t i = 0; i < tl; i++) {
				char ch = text[i];
				if (ch == ',' || ch == '"' || ch == '\n' ||
				    ch == '\r') {
					needq = 1;
					break;
				}
			}
			if (needq) {
				*p++ = '"';
				for (size_t i = 0; i < tl; i++) {
					if (text[i] == '"')
						*p++ = '"';
					*p++ = text[i];
				}
				*p++ = '"';
			} else {
				memcpy(p, text, tl);
				p += tl;
			}
			*p++ = ',';
			*p++ = mis ? '1' : '0';
			*p++ = '\n';
			opos = (size_t)(p - obuf);
		}
	}
	oflush();
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		write_failed();
	return 0;
}
