/*
 * fuzz_replay.c - standalone driver for a libFuzzer target: feeds every file
 * named on the command line (directories: every regular file in them, not
 * recursive) to LLVMFuzzerTestOneInput, so the checked-in corpus is a
 * regression test in builds without libFuzzer.  A target reports a broken
 * property by abort(); the sanitizers report memory errors; so reaching the
 * end means every input passed.  No input at all is a failure (an emptied
 * corpus must not pass silently).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Largest input we replay; libFuzzer's default -max_len is far below. */
#define REPLAY_MAX (1u << 20)

static int replay_file(const char *path)
{
	FILE *fp = NULL;
	uint8_t *buf = NULL;
	long n;
	int rc = 1;

	fp = fopen(path, "rb");
	if (fp == NULL) {
		perror(path);
		goto done;
	}
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0 ||
	    (unsigned long)n > REPLAY_MAX) {
		fprintf(stderr, "%s: unreadable or larger than %u bytes\n", path, REPLAY_MAX);
		goto done;
	}
	/* Exactly n bytes (at least 1 for malloc): ASan then catches a read past the input. */
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		fprintf(stderr, "%s: read failed\n", path);
		goto done;
	}
	(void)LLVMFuzzerTestOneInput(buf, (size_t)n);
	rc = 0;
done:
	free(buf);
	if (fp != NULL)
		fclose(fp);
	return rc;
}

static int replay_dir(const char *dir, int *files)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int failures = 0;

	if (d == NULL) {
		perror(dir);
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path)) {
			failures++;
			continue;
		}
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		failures += replay_file(path);
		(*files)++;
	}
	closedir(d);
	return failures;
}

int main(int argc, char **argv)
{
	int files = 0, failures = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			return 1;
		}
		if (S_ISDIR(st.st_mode)) {
			failures += replay_dir(argv[i], &files);
		} else {
			failures += replay_file(argv[i]);
			files++;
		}
	}
	printf("replayed %d inputs, %d unreadable\n", files, failures);
	return (files == 0 || failures != 0) ? 1 : 0;
}
