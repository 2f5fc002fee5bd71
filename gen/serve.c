#include "serve.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "build.h"
#include "diag.h"
#include "lazylib.h"
#include "out.h"
#include "util.h"

/*
 * libmicrohttpd, and GnuTLS with the eight libraries under it, are loaded
 * by the preview server only: linked, they cost every other command 2 ms
 * before main (GnuTLS initialises itself when loaded), a push-to-publish
 * included. The functions are typed from the header.
 */
#define MHD_SONAME "libmicrohttpd.so.12"
#define MHD_SYMBOLS(X) \
	X(MHD_start_daemon) X(MHD_stop_daemon) X(MHD_get_daemon_info) \
	X(MHD_create_response_from_buffer) X(MHD_create_response_from_fd) \
	X(MHD_add_response_header) X(MHD_queue_response) X(MHD_destroy_response)
#define SYM(f) __typeof__(f) *f;
struct mhd {
	void *lib;
	MHD_SYMBOLS(SYM)
};
#undef SYM

/* Loads libmicrohttpd into h: 0, or -1 after saying why on stderr. */
static int
mhd_load(struct mhd *h)
{
#define NAME(f) #f,
#define SLOT(f) (void **)&h->f,
	static const char *const names[] = { MHD_SYMBOLS(NAME) };
	void **const slots[] = { MHD_SYMBOLS(SLOT) };
#undef NAME
#undef SLOT
	char err[200];

	memset(h, 0, sizeof *h);
	h->lib = lazylib_open(MHD_SONAME, names, slots, sizeof names / sizeof names[0], err, sizeof err);
	if (!h->lib) {
		fprintf(stderr, _("ardoise: cannot load %s (%s): reinstall the libmicrohttpd12 package\n"),
		    MHD_SONAME, err);
		return -1;
	}
	return 0;
}

struct server {
	char *repo;		/* absolute path of the class repository */
	char tmp[64];		/* private directory holding the site */
	char *site;		/* tmp/site: swapped whole by each build */
	pthread_mutex_t lock;	/* guards error_html */
	char *error_html;	/* the page shown instead of the site, or NULL */
	atomic_uint generation;	/* bumped by every build: pages reload */
	struct mhd mhd;
};

static volatile sig_atomic_t stop_requested;


static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Pages poll the build counter twice a second and reload when it moves.
 * Polling rather than Server-Sent Events: no connection is held open, so
 * a sleeping laptop or a restarted server does not leave pages stuck. */
static const char reload_script[] =
    "<script>(function(){var g=null;function p(){"
    "fetch('/__ardoise/build',{cache:'no-store'}).then(function(r){return r.text();})"
    ".then(function(t){if(g!==null)if(t!==g)location.reload();g=t;})"
    ".catch(function(){}).then(function(){setTimeout(p,500);});}p();})();</script>";

static void
html_escape(struct buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		default: buf_putc(b, s[i]);
		}
	}
}

/* Shows the lines around `line` of the file, the offending one marked. */
static void
error_excerpt(struct buf *b, const char *repo, const char *path, int line)
{
	struct buf file = BUF_INIT, full = BUF_INIT;
	const char *p, *e;
	int n = 1;

	buf_printf(&full, "%s/%s", repo, path);
	if (line <= 0 || file_read(full.p, &file) < 0)
		goto out;
	buf_puts(b, "<pre class=\"extrait\">");
	for (p = file.p; p < file.p + file.len && n <= line + 2; n++, p = e + 1) {
		e = memchr(p, '\n', (size_t)(file.p + file.len - p));
		if (!e)
			e = file.p + file.len;
		if (n >= line - 2) {
			buf_printf(b, "%s<span class=\"num\">%4d</span>  ",
			    n == line ? "<mark>" : "", n);
			html_escape(b, p, (size_t)(e - p));
			buf_puts(b, n == line ? "</mark>\n" : "\n");
		}
		if (e == file.p + file.len)
			break;
	}
	buf_puts(b, "</pre>\n");
out:
	buf_release(&file);
	buf_release(&full);
}

static char *
error_page(const struct server *sv, const struct diag *d)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_puts(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/>"
	    "<meta name=\"viewport\" content=\"width=device-width\"/><title>");
	html_escape(&b, _("The blog has an error"), strlen(_("The blog has an error")));
	buf_puts(&b, "</title><style>body{font:1.1em/1.5 sans-serif;max-width:50em;margin:2em auto;padding:0 1em}"
	    "h1{color:#a00}.err{border-left:6px solid #c00;padding:.2em 1em;margin:1.5em 0;background:#fff4f4}"
	    "pre{background:#f6f6f6;padding:.5em;overflow-x:auto}mark{background:#ffd54f;display:block}"
	    ".num{color:#777}code{font-size:1.05em}</style></head><body>\n<h1>");
	html_escape(&b, _("The blog has an error"), strlen(_("The blog has an error")));
	buf_puts(&b, "</h1>\n<p>");
	html_escape(&b, _("Fix the file shown below and save it: this page comes back to the blog by itself."),
	    strlen(_("Fix the file shown below and save it: this page comes back to the blog by itself.")));
	buf_puts(&b, "</p>\n");
	for (i = 0; i < d->len; i++) {
		const struct diag_item *it = &d->items[i];

		if (it->level != DIAG_ERROR)
			continue;
		buf_puts(&b, "<div class=\"err\"><p><code>");
		if (it->path) {
			html_escape(&b, it->path, strlen(it->path));
			if (it->line > 0)
				buf_printf(&b, _(", line %d"), it->line);
		}
		buf_puts(&b, "</code></p>\n<p><strong>");
		html_escape(&b, it->msg, strlen(it->msg));
		buf_puts(&b, "</strong></p>\n");
		if (it->path)
			error_excerpt(&b, sv->repo, it->path, it->line);
		buf_puts(&b, "</div>\n");
	}
	buf_printf(&b, "%s\n</body></html>\n", reload_script);
	return buf_detach(&b, NULL);
}

/* Posts dated after "now" are not published (as in main.c's build). */
static int64_t
serve_now(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");

	if (s && *s)
		return strtoll(s, NULL, 10);
	return (int64_t)time(NULL);
}

static int
rebuild(struct server *sv)
{
	struct build_opts bo = { 0 };
	struct diag d;
	double t0 = clock_seconds();
	char *page = NULL;
	int status;

	bo.repo = sv->repo;
	bo.outdir = sv->site;
	bo.worktree = 1;
	bo.audience = AUDIENCE_PUBLIC;
	bo.now = serve_now();
	diag_init(&d);
	status = build_run(&bo, &d);
	diag_print(&d, stderr);
	if (status == BUILD_CONTENT)
		page = error_page(sv, &d);
	pthread_mutex_lock(&sv->lock);
	free(sv->error_html);
	sv->error_html = page;
	pthread_mutex_unlock(&sv->lock);
	atomic_fetch_add(&sv->generation, 1);
	if (status == BUILD_OK)
		fprintf(stderr, _("ardoise: site rebuilt in %.2f s\n"), clock_seconds() - t0);
	else if (status == BUILD_CONTENT)
		fprintf(stderr, _("ardoise: %zu error(s): the preview shows them until you fix the files\n"), d.nerrors);
	diag_release(&d);
	return status;
}

static const char *
content_type(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{ "html", "text/html; charset=utf-8" }, { "css", "text/css; charset=utf-8" },
		{ "js", "text/javascript; charset=utf-8" }, { "xml", "application/xml" },
		{ "json", "application/json" }, { "svg", "image/svg+xml" },
		{ "png", "image/png" }, { "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" },
		{ "gif", "image/gif" }, { "webp", "image/webp" }, { "ico", "image/x-icon" },
		{ "mp3", "audio/mpeg" }, { "ogg", "audio/ogg" }, { "m4a", "audio/mp4" },
		{ "wav", "audio/wav" }, { "mp4", "video/mp4" }, { "webm", "video/webm" },
		{ "pdf", "application/pdf" }, { "woff2", "font/woff2" }, { "txt", "text/plain; charset=utf-8" },
	};
	char ext[16];
	size_t i;

	path_ext(path, ext, sizeof ext);
	for (i = 0; i < ARRAY_LEN(types); i++)
		if (strcmp(ext, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static enum MHD_Result
reply(const struct mhd *h, struct MHD_Connection *c, unsigned code, const char *type, char *body,
    size_t n)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = h->MHD_create_response_from_buffer(n, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	h->MHD_add_response_header(r, "Content-Type", type);
	h->MHD_add_response_header(r, "Cache-Control", "no-store");
	ret = h->MHD_queue_response(c, code, r);
	h->MHD_destroy_response(r);
	return ret;
}

/* Adds the reload script before </body> (or at the end). */
static char *
inject(struct buf *html, size_t *len)
{
	struct buf b = BUF_INIT;
	const char *end = NULL, *p = html->p;

	while ((p = strstr(p, "</body>")) != NULL)
		end = p++;
	if (!end)
		end = html->p + html->len;
	buf_add(&b, html->p, (size_t)(end - html->p));
	buf_puts(&b, reload_script);
	buf_add(&b, end, (size_t)(html->p + html->len - end));
	return buf_detach(&b, len);
}

/* Files are resolved at each request: a build swaps the whole directory,
 * so nothing opened before it may be reused. */
static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **state)
{
	struct server *sv = cls;
	struct buf path = BUF_INIT, data = BUF_INIT;
	struct stat st;
	char *body;
	size_t n;
	int fd;

	(void)version; (void)upload; (void)upload_size; (void)state;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return reply(&sv->mhd, c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", xstrdup(""), 0);
	if (strcmp(url, "/__ardoise/build") == 0) {
		buf_printf(&data, "%u", atomic_load(&sv->generation));
		body = buf_detach(&data, &n);
		return reply(&sv->mhd, c, MHD_HTTP_OK, "text/plain", body, n);
	}
	if (url[0] != '/' || strstr(url, "/..") || strstr(url, "\\"))
		return reply(&sv->mhd, c, MHD_HTTP_FORBIDDEN, "text/plain", xstrdup("forbidden\n"), 10);
	buf_printf(&path, "%s%s", sv->site, url);
	if (path.p[path.len - 1] == '/' || (stat(path.p, &st) == 0 && S_ISDIR(st.st_mode)))
		buf_puts(&path, path.p[path.len - 1] == '/' ? "index.html" : "/index.html");
	pthread_mutex_lock(&sv->lock);
	if (sv->error_html && str_ends(path.p, ".html")) {
		body = xstrdup(sv->error_html);
		pthread_mutex_unlock(&sv->lock);
		buf_release(&path);
		return reply(&sv->mhd, c, MHD_HTTP_OK, "text/html; charset=utf-8", body, strlen(body));
	}
	pthread_mutex_unlock(&sv->lock);
	if (str_ends(path.p, ".html")) {
		if (file_read(path.p, &data) < 0) {
			buf_release(&path);
			buf_printf(&data, "<!DOCTYPE html><html><body><p>%s</p>%s</body></html>",
			    _("This page does not exist (yet)."), reload_script);
			body = buf_detach(&data, &n);
			return reply(&sv->mhd, c, MHD_HTTP_NOT_FOUND, "text/html; charset=utf-8", body, n);
		}
		body = inject(&data, &n);
		buf_release(&data);
		buf_release(&path);
		return reply(&sv->mhd, c, MHD_HTTP_OK, "text/html; charset=utf-8", body, n);
	}
	fd = open(path.p, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		buf_release(&path);
		return reply(&sv->mhd, c, MHD_HTTP_NOT_FOUND, "text/plain", xstrdup("not found\n"), 10);
	} else {
		struct MHD_Response *r = sv->mhd.MHD_create_response_from_fd((uint64_t)st.st_size, fd);
		enum MHD_Result ret;

		if (!r) {
			close(fd);
			buf_release(&path);
			return MHD_NO;
		}
		sv->mhd.MHD_add_response_header(r, "Content-Type", content_type(path.p));
		sv->mhd.MHD_add_response_header(r, "Cache-Control", "no-store");
		ret = sv->mhd.MHD_queue_response(c, MHD_HTTP_OK, r);
		sv->mhd.MHD_destroy_response(r);
		buf_release(&path);
		return ret;
	}
}

/* Watches dir and its folders, skipping .git and hidden folders (editor
 * and tool state). Adding a watch twice is harmless: called again after
 * each build to catch new folders. */
static void
watch_tree(int fd, const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;
	struct buf sub = BUF_INIT;

	if (depth > 16 || inotify_add_watch(fd, dir, IN_CLOSE_WRITE | IN_CREATE | IN_DELETE |
	    IN_MOVED_FROM | IN_MOVED_TO | IN_MODIFY | IN_ONLYDIR) < 0)
		return;
	if (!(d = opendir(dir)))
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN))
			continue;
		buf_reset(&sub);
		buf_printf(&sub, "%s/%s", dir, e->d_name);
		watch_tree(fd, sub.p, depth + 1);
	}
	closedir(d);
	buf_release(&sub);
}

static void
serve_usage(FILE *f)
{
	fputs(_("usage: ardoise serve [REPO] [--port PORT]\n"
	    "  builds the class blog of REPO (default .) with its unsaved changes, shows it\n"
	    "  on http://127.0.0.1:PORT/ (default 8000; 0 picks a free port) and rebuilds\n"
	    "  it each time a file is saved; open pages reload by themselves\n"), f);
}

int
serve_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct server sv;
	struct MHD_Daemon *daemon = NULL;
	struct sockaddr_in addr;
	struct sigaction sa;
	sigset_t block, old;
	const union MHD_DaemonInfo *info;
	const char *tmpdir = getenv("TMPDIR");
	char real[PATH_MAX];
	long port = 8000;
	int c, ifd = -1, status = BUILD_SYSTEM, pending = 0;

	while ((c = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
		char *end;

		switch (c) {
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*end || port < 0 || port > 65535) {
				fprintf(stderr, _("ardoise: --port must be a number from 1024 to 65535, such as 8000, not \"%s\"\n"), optarg);
				return BUILD_USAGE;
			}
			break;
		case 'h':
			serve_usage(stdout);
			return BUILD_OK;
		default:
			serve_usage(stderr);
			return BUILD_USAGE;
		}
	}
	if (optind < argc - 1) {
		serve_usage(stderr);
		return BUILD_USAGE;
	}
	if (!realpath(optind < argc ? argv[optind] : ".", real)) {
		fprintf(stderr, _("ardoise: cannot open the folder \"%s\": %s\n"),
		    optind < argc ? argv[optind] : ".", strerror(errno));
		return BUILD_USAGE;
	}
	memset(&sv, 0, sizeof sv);
	if (mhd_load(&sv.mhd) < 0)
		return BUILD_SYSTEM;
	sv.repo = real;
	pthread_mutex_init(&sv.lock, NULL);
	atomic_init(&sv.generation, 0);
	snprintf(sv.tmp, sizeof sv.tmp, "%s/ardoise-serve-XXXXXX",
	    tmpdir && *tmpdir && strlen(tmpdir) < 40 ? tmpdir : "/tmp");
	if (!mkdtemp(sv.tmp)) {
		fprintf(stderr, _("ardoise: cannot create a temporary folder in \"%s\": %s\n"), sv.tmp, strerror(errno));
		pthread_mutex_destroy(&sv.lock);
		return BUILD_SYSTEM;
	}
	{
		struct buf s = BUF_INIT;

		buf_printf(&s, "%s/site", sv.tmp);
		sv.site = buf_detach(&s, NULL);
	}
	/* only this thread takes SIGINT/SIGTERM (in ppoll below): the server's
	 * and the build's threads inherit the blocked mask */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	status = rebuild(&sv);
	if (status == BUILD_USAGE || status == BUILD_SYSTEM)
		goto out;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);	/* never the school network */
	daemon = sv.mhd.MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL,
	    (uint16_t)port, NULL, NULL, handle, &sv,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_END);
	if (!daemon) {
		fprintf(stderr, _("ardoise: cannot listen on port %ld (another preview may be running): stop it or try --port %ld\n"),
		    port, port + 1);
		status = BUILD_SYSTEM;
		goto out;
	}
	info = sv.mhd.MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (info)
		port = info->port;
	if ((ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
		fprintf(stderr, _("ardoise: cannot watch the files: %s\n"), strerror(errno));
		status = BUILD_SYSTEM;
		goto out;
	}
	watch_tree(ifd, sv.repo, 0);
	fprintf(stderr, _("ardoise: preview on http://127.0.0.1:%ld/ (stop with Ctrl+C)\n"), port);
	status = BUILD_OK;
	while (!stop_requested) {
		struct pollfd pfd = { ifd, POLLIN, 0 };
		struct timespec ts = { 0, 100 * 1000000 };
		char ev[8192];
		int r = ppoll(&pfd, 1, pending ? &ts : NULL, &old);

		if (r < 0 && errno != EINTR)
			break;
		if (r > 0) {
			/* drain, then wait 100 ms of quiet: a save is often
			 * several writes and a rename */
			while (read(ifd, ev, sizeof ev) > 0)
				;
			pending = 1;
		} else if (r == 0 && pending) {
			pending = 0;
			rebuild(&sv);
			watch_tree(ifd, sv.repo, 0);
		}
	}
	fprintf(stderr, _("ardoise: preview stopped\n"));
out:
	if (daemon)
		sv.mhd.MHD_stop_daemon(daemon);
	if (ifd >= 0)
		close(ifd);
	out_rmtree(sv.tmp);
	free(sv.site);
	free(sv.error_html);
	pthread_mutex_destroy(&sv.lock);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	dlclose(sv.mhd.lib);
	return status == BUILD_CONTENT ? BUILD_OK : status;
}
