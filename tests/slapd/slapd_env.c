/* slapd_env.c - read the fixture's slapd.env; start/stop extra instances;
 * a silent TCP listener for timeout and cancellation tests. */
#include "slapd_env.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <netinet/in.h>
#include <stdio.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef LDAPAB_SLAPD_CTL
#error "LDAPAB_SLAPD_CTL (path of tests/slapd/slapd-ctl) must be defined by the build"
#endif

#define MAX_EXTRA_ARGS 16

struct env_cache {
    char *text;     /* the file, with '=' and '\n' replaced by NULs */
    char **keys;
    char **values;
    size_t count;
};

static struct env_cache fixture_env;
static int fixture_loaded;

static void env_free(struct env_cache *env)
{
    free(env->text);
    free(env->keys);
    free(env->values);
    memset(env, 0, sizeof(*env));
}

/* Reads PATH into ENV.  Returns 0, or -1 with errno set. */
static int env_load(const char *path, struct env_cache *env)
{
    FILE *f = NULL;
    char *text = NULL;
    char **keys = NULL, **values = NULL;
    size_t len = 0, cap = 0, count = 0, lines = 0;
    int rc = -1;

    f = fopen(path, "r");
    if (!f)
        goto done;
    for (;;) {
        if (len + 1024 + 1 > cap) {
            size_t ncap = cap ? cap * 2 : 4096;
            char *ntext = realloc(text, ncap);
            if (!ntext)
                goto done;
            text = ntext;
            cap = ncap;
        }
        size_t n = fread(text + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        errno = EIO;
        goto done;
    }
    if (!text) {
        text = malloc(1);
        if (!text)
            goto done;
    }
    text[len] = '\0';
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    lines++;
    keys = calloc(lines, sizeof(*keys));
    values = calloc(lines, sizeof(*values));
    if (!keys || !values)
        goto done;
    for (char *line = text; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *eq = strchr(line, '=');
        if (line[0] != '#' && eq && eq != line) {
            *eq = '\0';
            keys[count] = line;
            values[count] = eq + 1;
            count++;
        }
        line = next;
    }
    env->text = text;
    env->keys = keys;
    env->values = values;
    env->count = count;
    text = NULL;
    keys = NULL;
    values = NULL;
    rc = 0;
done:
    if (f)
        fclose(f);
    free(text);
    free(keys);
    free(values);
    return rc;
}

static const char *env_get(const struct env_cache *env, const char *key)
{
    for (size_t i = 0; i < env->count; i++)
        if (strcmp(env->keys[i], key) == 0)
            return env->values[i];
    return NULL;
}

static void fixture_env_release(void)
{
    env_free(&fixture_env);
}

const char *slapd_env(const char *key)
{
    if (!key) {
        fprintf(stderr, "slapd_env: NULL key\n");
        abort();
    }
    if (!fixture_loaded) {
        const char *path = getenv("LDAPAB_SLAPD_ENV");
        if (!path || !*path) {
            fprintf(stderr, "slapd_env: LDAPAB_SLAPD_ENV is not set; run this test through "
                            "ctest (it needs the 'slapd' fixture) or point it at a slapd.env "
                            "written by tests/slapd/slapd-ctl start\n");
            abort();
        }
        if (env_load(path, &fixture_env) != 0) {
            fprintf(stderr, "slapd_env: cannot read %s: %s (did the slapd_start test run?)\n",
                    path, strerror(errno));
            abort();
        }
        fixture_loaded = 1;
        /* Keeps LeakSanitizer quiet: the cache lives as long as the process. */
        atexit(fixture_env_release);
    }
    return env_get(&fixture_env, key);
}

char *slapd_env_file(const char *rundir, const char *key)
{
    struct env_cache env = {0};
    char *path = NULL, *copy = NULL;
    const char *value;

    if (!rundir || !key)
        goto done;
    if (asprintf(&path, "%s/slapd.env", rundir) < 0) {
        path = NULL;
        goto done;
    }
    if (env_load(path, &env) != 0)
        goto done;
    value = env_get(&env, key);
    if (value)
        copy = strdup(value);
done:
    env_free(&env);
    free(path);
    return copy;
}

/* Runs "bash slapd-ctl ARGV[2]..." (ARGV NULL-terminated, argv[0] and
 * argv[1] filled in here) and waits.  Through bash, so a checkout that lost
 * the executable bit still works. */
static int run_ctl(char **argv)
{
    pid_t pid;
    int status;

    argv[0] = (char *)"/bin/bash";
    argv[1] = (char *)LDAPAB_SLAPD_CTL;
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        perror("slapd_instance: fork");
        return -1;
    }
    if (pid == 0) {
        /* slapd-ctl's chatter belongs with the test's diagnostics. */
        dup2(STDERR_FILENO, STDOUT_FILENO);
        execv(argv[0], argv);
        perror("slapd_instance: exec /bin/bash " LDAPAB_SLAPD_CTL);
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("slapd_instance: waitpid");
            return -1;
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "slapd_instance: %s %s failed (status %d)\n", LDAPAB_SLAPD_CTL,
                argv[2], status);
        return -1;
    }
    return 0;
}

int slapd_instance_start(const char *rundir, const char *extra_args)
{
    char *argv[4 + MAX_EXTRA_ARGS + 1] = {0};
    char *args = NULL;
    size_t argc = 1;   /* argv[0..1]: run_ctl() */
    int rc = -1;

    if (!rundir || !*rundir) {
        fprintf(stderr, "slapd_instance_start: no run directory\n");
        goto done;
    }
    argv[++argc] = (char *)"start";
    argv[++argc] = (char *)rundir;
    if (extra_args) {
        args = strdup(extra_args);
        if (!args)
            goto done;
        char *save = NULL;
        for (char *tok = strtok_r(args, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
            if (argc >= 3 + MAX_EXTRA_ARGS) {
                fprintf(stderr, "slapd_instance_start: more than %d extra arguments\n",
                        MAX_EXTRA_ARGS);
                goto done;
            }
            argv[++argc] = tok;
        }
    }
    argv[argc + 1] = NULL;
    rc = run_ctl(argv);
done:
    free(args);
    return rc;
}

int slapd_instance_stop(const char *rundir)
{
    char *argv[5] = {0};

    if (!rundir || !*rundir) {
        fprintf(stderr, "slapd_instance_stop: no run directory\n");
        return -1;
    }
    argv[2] = (char *)"stop";
    argv[3] = (char *)rundir;
    argv[4] = NULL;
    return run_ctl(argv);
}

/* True when every thread of pid is in the stopped state ('T' in
 * /proc/<pid>/task/<tid>/stat). */
static int all_threads_stopped(pid_t pid)
{
    char path[64];
    DIR *d;
    struct dirent *e;
    int seen = 0, stopped = 1;

    snprintf(path, sizeof(path), "/proc/%ld/task", (long)pid);
    d = opendir(path);
    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL && stopped) {
        char stat_path[600], buf[512], *rp;
        FILE *f;

        if (e->d_name[0] == '.')
            continue;
        snprintf(stat_path, sizeof(stat_path), "%s/%s/stat", path, e->d_name);
        f = fopen(stat_path, "r");
        if (f == NULL)
            continue; /* the thread just exited */
        if (fgets(buf, sizeof(buf), f) != NULL && (rp = strrchr(buf, ')')) != NULL &&
            rp[1] == ' ')
            stopped = rp[2] == 'T' || rp[2] == 't';
        fclose(f);
        seen++;
    }
    closedir(d);
    return seen > 0 && stopped;
}

int slapd_instance_freeze(const char *rundir)
{
    char *pid = NULL;
    pid_t p;
    int rc = -1;

    if (!rundir || !*rundir) {
        fprintf(stderr, "slapd_instance_freeze: no run directory\n");
        return -1;
    }
    pid = slapd_env_file(rundir, "LDAPAB_TEST_PID");
    if (pid == NULL || atol(pid) <= 1) {
        fprintf(stderr, "slapd_instance_freeze: no pid in %s/slapd.env\n", rundir);
        goto done;
    }
    p = (pid_t)atol(pid);
    if (kill(p, SIGSTOP) != 0) {
        fprintf(stderr, "slapd_instance_freeze: kill(%ld, SIGSTOP): %s\n", (long)p,
                strerror(errno));
        goto done;
    }
    /* SIGSTOP is delivered asynchronously: a slapd thread that was running
     * could still answer one request.  Wait (bounded) until all are stopped. */
    for (int i = 0; i < 500; i++) {
        if (all_threads_stopped(p)) {
            rc = 0;
            goto done;
        }
        usleep(2000);
    }
    fprintf(stderr, "slapd_instance_freeze: slapd %ld did not stop within 1 s\n", (long)p);
done:
    free(pid);
    return rc;
}

int slapd_instance_thaw_and_stop(const char *rundir)
{
    char *pid = NULL;

    if (!rundir || !*rundir) {
        fprintf(stderr, "slapd_instance_thaw_and_stop: no run directory\n");
        return -1;
    }
    pid = slapd_env_file(rundir, "LDAPAB_TEST_PID");
    if (pid != NULL && atol(pid) > 1)
        (void)kill((pid_t)atol(pid), SIGCONT); /* gone already: stop says so */
    free(pid);
    return slapd_instance_stop(rundir);
}

static void *silent_listener_run(void *arg)
{
    struct test_silent_listener *l = arg;

    for (;;) {
        int c = accept(l->fd, NULL, NULL);

        if (c < 0)
            break; /* shutdown() by test_silent_listener_stop(): done */
        if (l->n_clients < TEST_SILENT_LISTENER_MAX_CLIENTS)
            l->clients[l->n_clients++] = c; /* kept open: the peer must not see EOF */
        else
            close(c);
    }
    return NULL;
}

int test_silent_listener_start(struct test_silent_listener *l)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int fd = -1;
    int rc = -1;

    if (!l) {
        fprintf(stderr, "test_silent_listener_start: no listener\n");
        return -1;
    }
    memset(l, 0, sizeof(*l));
    l->fd = -1;
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("test_silent_listener_start: socket");
        goto done;
    }
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(fd, TEST_SILENT_LISTENER_MAX_CLIENTS) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        perror("test_silent_listener_start: bind/listen on 127.0.0.1");
        goto done;
    }
    l->fd = fd;
    l->port = ntohs(a.sin_port);
    if (pthread_create(&l->thread, NULL, silent_listener_run, l) != 0) {
        fprintf(stderr, "test_silent_listener_start: pthread_create failed\n");
        l->fd = -1;
        goto done;
    }
    fd = -1; /* owned by L now */
    rc = 0;
done:
    if (fd >= 0)
        close(fd);
    return rc;
}

void test_silent_listener_stop(struct test_silent_listener *l)
{
    if (!l || l->fd < 0)
        return;
    /* shutdown() wakes the accept() blocked in the thread; the socket is
     * closed only after the join, so its number cannot be reused under
     * the thread's feet. */
    shutdown(l->fd, SHUT_RDWR);
    pthread_join(l->thread, NULL);
    close(l->fd);
    l->fd = -1;
    for (int i = 0; i < l->n_clients; i++)
        close(l->clients[i]);
    l->n_clients = 0;
}

uint64_t test_mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
