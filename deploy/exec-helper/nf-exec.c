/*
 * nf-exec: runs commands for Nanofleet's node agent, with a terminal (a pty) or without (pipes), and relays their
 * stdin, stdout, stderr, window size and exit code as frames. Java can neither allocate a pty nor resize one, so this
 * small static program does it, at both ends:
 *
 *   nf-exec host [-t] [-i] [-s COLSxROWS] -- PROGRAM ARGS...
 *       One session over its own stdin (frames from the agent) and stdout (frames to the agent). On the node the
 *       program is `runc exec [-t] ...`: runc puts its stdin (our pty) in raw mode and forwards our TIOCSWINSZ to the
 *       container's terminal (it handles SIGWINCH).
 *   nf-exec guest DEVICE
 *       The guest agent in a hardware-isolated instance's VM: frames over a virtio-serial port, sessions multiplexed by
 *       id, each started with the container's root, working dir, user, groups, capabilities and env by the
 *       `exec_cmd` function of the initramfs' /spec (the guest init's own way of starting the main process).
 *
 * Frame: u32 session id (big endian; 0 in host mode), u8 channel, u32 payload length, payload (at most 32 KiB).
 *   agent -> here: 0 stdin bytes | 4 resize (u16 cols, u16 rows) | 5 open (guest: u8 flags 1=tty 2=stdin,
 *                  u16 cols, u16 rows, then argv as NUL-terminated strings) | 6 stdin EOF | 7 kill
 *   here -> agent: 1 stdout bytes | 2 stderr bytes | 3 exit (s32 exit code, 128+signal if killed, then an optional
 *                  UTF-8 reason); a session's last frame.
 * Build: gcc -static -Os -o nf-exec nf-exec.c (deploy/exec-helper/build).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

enum { CH_STDIN = 0, CH_STDOUT = 1, CH_STDERR = 2, CH_EXIT = 3, CH_RESIZE = 4, CH_OPEN = 5, CH_EOF = 6, CH_KILL = 7 };
#define HEADER 9
#define MAX_PAYLOAD 32768
#define MAX_SESSIONS 16
#define MAX_ARGS 256
/* after the process ended: how long output still in a pipe or the pty may take to arrive */
#define DRAIN_MS 100

struct session {
    int used;
    uint32_t id;
    pid_t pid;
    int tty;
    int reads_stdin; /* opened with stdin: without, a tty's master gets nothing the agent sends */
    int in;  /* the process' stdin: pipe write end or pty master; -1 when closed */
    int out; /* stdout pipe read end or pty master; -1 when closed */
    int err; /* stderr pipe read end; -1 (a tty merges stderr) */
    int exited;
    int code;
    long long drain_until;
};

static struct session sessions[MAX_SESSIONS];
static int ctl_in = 0, ctl_out = 1;
static int guest_mode;
static int sigchld_pipe[2];
static char rbuf[HEADER + MAX_PAYLOAD];
static size_t rlen;

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void on_sigchld(int sig) {
    (void)sig;
    int saved = errno;
    (void)!write(sigchld_pipe[1], "c", 1);
    errno = saved;
}

/* Writes a whole frame; the control fd may be non-blocking (the guest's port). Returns -1 when the agent is gone. */
static int send_frame(uint32_t id, int channel, const void *payload, uint32_t len) {
    unsigned char h[HEADER];
    h[0] = id >> 24; h[1] = id >> 16; h[2] = id >> 8; h[3] = id;
    h[4] = (unsigned char)channel;
    h[5] = len >> 24; h[6] = len >> 16; h[7] = len >> 8; h[8] = len;
    const unsigned char *parts[2] = { h, payload };
    size_t sizes[2] = { HEADER, len };
    for (int p = 0; p < 2; p++) {
        size_t done = 0;
        while (done < sizes[p]) {
            ssize_t n = write(ctl_out, parts[p] + done, sizes[p] - done);
            if (n > 0) { done += n; continue; }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno == EAGAIN) {
                struct pollfd w = { ctl_out, POLLOUT, 0 };
                if (poll(&w, 1, 5000) <= 0 || (w.revents & (POLLHUP | POLLERR))) return -1;
                continue;
            }
            return -1;
        }
    }
    return 0;
}

static void close_fd(int *fd) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

static void end_session(struct session *s, const char *reason) {
    unsigned char p[4 + 200];
    uint32_t c = (uint32_t)s->code;
    p[0] = c >> 24; p[1] = c >> 16; p[2] = c >> 8; p[3] = c;
    size_t rl = reason ? strnlen(reason, 200) : 0;
    memcpy(p + 4, reason ? reason : "", rl);
    send_frame(s->id, CH_EXIT, p, 4 + rl);
    if (s->in == s->out) s->in = -1; /* a tty's one master */
    close_fd(&s->in);
    close_fd(&s->out);
    close_fd(&s->err);
    s->used = 0;
}

static void kill_session(struct session *s) {
    if (!s->exited && s->pid > 0) {
        kill(-s->pid, SIGKILL); /* its own session and process group: setsid or forkpty */
        kill(s->pid, SIGKILL);
    }
}

static struct session *find(uint32_t id) {
    for (int i = 0; i < MAX_SESSIONS; i++)
        if (sessions[i].used && sessions[i].id == id) return &sessions[i];
    return NULL;
}

static void set_flags(int fd, int nonblock) {
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (nonblock) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void exec_child(char **argv) {
    signal(SIGCHLD, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    closefrom(3);
    if (guest_mode) {
        /* the guest init's /spec defines exec_cmd: env -i ENV unshare --root=/mnt --wd=CWD setpriv ... -- "$@" */
        char *args[MAX_ARGS + 6];
        int n = 0;
        args[n++] = "sh";
        args[n++] = "-c";
        args[n++] = ". /spec && exec_cmd \"$@\"";
        args[n++] = "nf-exec";
        for (int i = 0; argv[i] && n < MAX_ARGS + 4; i++) args[n++] = argv[i];
        args[n] = NULL;
        execv("/bin/busybox", args);
    } else {
        execvp(argv[0], argv);
    }
    fprintf(stderr, "nf-exec: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/* Starts a session's process; on failure reports the exit frame itself. */
static void start(uint32_t id, int tty, int with_stdin, unsigned cols, unsigned rows, char **argv) {
    struct session *s = NULL;
    for (int i = 0; i < MAX_SESSIONS; i++)
        if (!sessions[i].used) { s = &sessions[i]; break; }
    if (!s || find(id)) {
        struct session refused = { .used = 1, .id = id, .in = -1, .out = -1, .err = -1, .code = -1 };
        end_session(&refused, s ? "session id in use" : "too many sessions");
        return;
    }
    memset(s, 0, sizeof *s);
    s->used = 1; s->id = id; s->tty = tty; s->reads_stdin = with_stdin; s->in = s->out = s->err = -1;
    if (tty) {
        struct winsize ws = { .ws_row = rows ? rows : 24, .ws_col = cols ? cols : 80 };
        int master;
        pid_t pid = forkpty(&master, NULL, NULL, &ws);
        if (pid == 0) exec_child(argv);
        if (pid < 0) { s->code = -1; end_session(s, "cannot allocate a terminal"); return; }
        set_flags(master, 1);
        s->pid = pid; s->in = s->out = master;
    } else {
        int in[2] = { -1, -1 }, out[2], err[2];
        if (pipe(out) || pipe(err) || (with_stdin ? pipe(in) : 0)) {
            s->code = -1; end_session(s, "cannot create pipes"); return;
        }
        pid_t pid = fork();
        if (pid == 0) {
            setsid();
            int null = open("/dev/null", O_RDONLY);
            dup2(with_stdin ? in[0] : null, 0);
            dup2(out[1], 1);
            dup2(err[1], 2);
            exec_child(argv);
        }
        close(out[1]); close(err[1]);
        if (with_stdin) close(in[0]);
        if (pid < 0) {
            close(out[0]); close(err[0]);
            if (with_stdin) close(in[1]);
            s->code = -1; end_session(s, "cannot fork"); return;
        }
        s->pid = pid; s->out = out[0]; s->err = err[0];
        set_flags(out[0], 1); set_flags(err[0], 1);
        if (with_stdin) { s->in = in[1]; set_flags(in[1], 0); }
    }
}

static void write_stdin(struct session *s, const unsigned char *p, uint32_t len) {
    while (s->in >= 0 && len > 0) {
        ssize_t n = write(s->in, p, len);
        if (n > 0) { p += n; len -= n; continue; }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) {
            struct pollfd w = { s->in, POLLOUT, 0 };
            if (poll(&w, 1, 1000) > 0 && !(w.revents & (POLLERR | POLLHUP))) continue;
        }
        /* the process stopped reading its stdin: what it did not read is dropped */
        if (!s->tty) close_fd(&s->in);
        return;
    }
}

static void handle_frame(uint32_t id, int ch, unsigned char *p, uint32_t len) {
    if (ch == CH_OPEN) {
        if (!guest_mode || len < 5) return;
        char *argv[MAX_ARGS + 1];
        int argc = 0;
        size_t at = 5;
        while (at < len && argc < MAX_ARGS) {
            char *nul = memchr(p + at, 0, len - at);
            if (!nul) break;
            argv[argc++] = (char *)p + at;
            at = (unsigned char *)nul - p + 1;
        }
        argv[argc] = NULL;
        if (argc == 0) return;
        start(id, p[0] & 1, (p[0] & 2) != 0, (p[1] << 8) | p[2], (p[3] << 8) | p[4], argv);
        return;
    }
    struct session *s = find(id);
    if (!s) return;
    if (ch == CH_STDIN && s->reads_stdin) write_stdin(s, p, len);
    else if (ch == CH_RESIZE && s->tty && len == 4 && s->in >= 0) {
        struct winsize ws = { .ws_col = (p[0] << 8) | p[1], .ws_row = (p[2] << 8) | p[3] };
        ioctl(s->in, TIOCSWINSZ, &ws);
    } else if (ch == CH_EOF && s->reads_stdin) {
        if (s->tty) { if (s->in >= 0) (void)!write(s->in, "\004", 1); } /* ^D: the terminal's end of input */
        else close_fd(&s->in);
    } else if (ch == CH_KILL) kill_session(s);
}

/* Reads what the agent sent; returns 0 when it is gone (host: EOF; guest: port closed). */
static int read_ctl(void) {
    ssize_t n = read(ctl_in, rbuf + rlen, sizeof rbuf - rlen);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return 1;
    if (n <= 0) return 0;
    rlen += n;
    size_t at = 0;
    while (rlen - at >= HEADER) {
        unsigned char *h = (unsigned char *)rbuf + at;
        uint32_t id = ((uint32_t)h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3];
        uint32_t len = ((uint32_t)h[5] << 24) | (h[6] << 16) | (h[7] << 8) | h[8];
        if (len > MAX_PAYLOAD) { fprintf(stderr, "nf-exec: frame of %u bytes refused\n", len); return 0; }
        if (rlen - at < HEADER + len) break;
        handle_frame(id, h[4], h + HEADER, len);
        at += HEADER + len;
    }
    memmove(rbuf, rbuf + at, rlen - at);
    rlen -= at;
    return 1;
}

/* Relays what is readable on fd now; closes it at its end. */
static void pump(struct session *s, int *fd, int channel) {
    unsigned char buf[MAX_PAYLOAD];
    for (;;) {
        ssize_t n = read(*fd, buf, sizeof buf);
        if (n > 0) {
            if (send_frame(s->id, channel, buf, n) < 0) return;
            if (n < (ssize_t)sizeof buf) return;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        /* EOF, or EIO: a pty master once every slave is closed */
        if (s->tty) { s->in = -1; }
        close_fd(fd);
        return;
    }
}

static void reap(void) {
    char drain[64];
    while (read(sigchld_pipe[0], drain, sizeof drain) > 0) {}
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < MAX_SESSIONS; i++) {
            struct session *s = &sessions[i];
            if (s->used && !s->exited && s->pid == pid) {
                s->exited = 1;
                s->code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                s->drain_until = now_ms() + DRAIN_MS;
            }
        }
    }
}

static int any_session(void) {
    for (int i = 0; i < MAX_SESSIONS; i++)
        if (sessions[i].used) return 1;
    return 0;
}

static void loop(void) {
    int host_gone = 0;
    for (;;) {
        struct pollfd fds[2 + 2 * MAX_SESSIONS];
        struct session *owner[2 + 2 * MAX_SESSIONS];
        int which[2 + 2 * MAX_SESSIONS];
        int n = 0, timeout = -1;
        fds[n] = (struct pollfd){ sigchld_pipe[0], POLLIN, 0 }; owner[n++] = NULL;
        if (!host_gone) { fds[n] = (struct pollfd){ ctl_in, POLLIN, 0 }; owner[n++] = NULL; }
        long long now = now_ms();
        for (int i = 0; i < MAX_SESSIONS; i++) {
            struct session *s = &sessions[i];
            if (!s->used) continue;
            if (s->exited && ((s->out < 0 && s->err < 0) || now >= s->drain_until)) {
                end_session(s, NULL);
                continue;
            }
            if (s->exited) {
                int left = (int)(s->drain_until - now);
                if (timeout < 0 || left < timeout) timeout = left;
            }
            if (s->out >= 0) { fds[n] = (struct pollfd){ s->out, POLLIN, 0 }; owner[n] = s; which[n++] = CH_STDOUT; }
            if (s->err >= 0) { fds[n] = (struct pollfd){ s->err, POLLIN, 0 }; owner[n] = s; which[n++] = CH_STDERR; }
        }
        if (!guest_mode && !any_session()) return;
        if (host_gone) {
            if (timeout < 0 || timeout > 100) timeout = 100;
        }
        if (poll(fds, n, timeout) < 0 && errno != EINTR) return;
        if (fds[0].revents & POLLIN) reap();
        if (!host_gone && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            if (!(fds[1].revents & POLLIN) || !read_ctl()) {
                /* the agent is gone: no session may go on without it */
                host_gone = 1;
                rlen = 0;
                for (int i = 0; i < MAX_SESSIONS; i++)
                    if (sessions[i].used) kill_session(&sessions[i]);
            }
        } else if (host_gone && guest_mode) {
            host_gone = 0; /* look at the port again: the agent may have connected */
        }
        for (int i = 0; i < n; i++) {
            if (owner[i] && owner[i]->used && (fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                struct session *s = owner[i];
                int *fd = which[i] == CH_STDOUT ? &s->out : &s->err;
                if (*fd == fds[i].fd) pump(s, fd, which[i]);
            }
        }
        if (!guest_mode && !any_session()) return;
    }
}

static int usage(void) {
    fprintf(stderr, "usage: nf-exec host [-t] [-i] [-s COLSxROWS] -- PROGRAM ARGS... | nf-exec guest DEVICE\n");
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 2) return usage();
    if (pipe2(sigchld_pipe, O_CLOEXEC | O_NONBLOCK)) return 1;
    struct sigaction sa = { 0 };
    sa.sa_handler = on_sigchld;
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (strcmp(argv[1], "guest") == 0 && argc == 3) {
        guest_mode = 1;
        int port = -1;
        for (int tries = 0; port < 0 && tries < 200; tries++) {
            port = open(argv[2], O_RDWR | O_NONBLOCK | O_CLOEXEC);
            if (port < 0) usleep(50000);
        }
        if (port < 0) { perror("nf-exec: cannot open the exec port"); return 1; }
        ctl_in = ctl_out = port;
        loop();
        return 0;
    }
    if (strcmp(argv[1], "host") != 0) return usage();
    int tty = 0, with_stdin = 0, i = 2;
    unsigned cols = 80, rows = 24;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "-t") == 0) tty = 1;
        else if (strcmp(argv[i], "-i") == 0) with_stdin = 1;
        else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc && sscanf(argv[++i], "%ux%u", &cols, &rows) == 2) {}
        else return usage();
    }
    if (i + 1 >= argc) return usage();
    set_flags(ctl_in, 0);
    start(0, tty, with_stdin, cols, rows, argv + i + 1);
    loop();
    return 0;
}
