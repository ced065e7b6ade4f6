/*
 * fuzz_replay.c - run LLVMFuzzerTestOneInput over every file in the given
 * directories or files, so the corpus is a regression test without libFuzzer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;
	int rc = 1;

	if (fp == NULL) {
		perror(path);
		return 1;
	}
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0)
		goto done;
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, fp) != (size_t)n)
		goto done;
	(void)LLVMFuzzerTestOneInput(buf, (size_t)n);
	rc = 0;
done:
	free(buf);
	fclose(fp);
	return rc;
}

int main(int argc, char **argv)
{
	int files = 0, failures = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;

		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			failures += replay_file(argv[i]);
			files++;
			continue;
		}
		d = opendir(argv[i]);
		if (d == NULL) {
			perror(argv[i]);
			return 1;
		}
		while ((e = readdir(d)) != NULL) {
			char path[4096];

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			failures += replay_file(path);
			files++;
		}
		closedir(d);
	}
	printf("replayed %d inputs, %d unreadable\n", files, failures);
	return (files == 0 || failures != 0) ? 1 : 0;
}
