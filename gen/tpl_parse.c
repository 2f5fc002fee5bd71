/*
 * tpl_parse: Mustache source -> the flat node array of tpl_int.h.
 *
 * Three passes, each linear: tokenize (text split at newlines, tags, with
 * delimiter changes applied as they come), decide for every line whether
 * it is standalone (its whitespace and newline then disappear), then
 * build the node array with a stack of open containers.
 */
#include "tpl_int.h"

#include <string.h>

#include "diag.h"
#include "util.h"

#define MAX_DELIM 16
#define MAX_NEST 100		/* keeps the recursive renderer's stack small */
#define MAX_LINE_OPENS 16

enum tok_kind {
	TK_TEXT, TK_VAR, TK_RAW, TK_SECTION, TK_INVERTED, TK_CLOSE,
	TK_COMMENT, TK_DELIM, TK_PARTIAL, TK_PARENT, TK_BLOCK
};

struct tok {
	enum tok_kind kind;
	size_t off, len;	/* text, or the trimmed name */
	size_t toff, tlen;	/* the whole tag as written */
	size_t woff, wlen;	/* leading whitespace (partial, parent) or
				 * the raw block indentation (block) */
	int line, col;
	unsigned dropped : 1, bol : 1, standalone : 1;
};

struct pstate {
	struct tpl *t;
	const char *s;
	size_t len;
	struct diag *d;
	struct tok *tok;
	size_t ntok, captok;
	/* a cursor turning offsets into line:col without rescanning lines */
	size_t cpos;
	int cline, ccol;
};

struct open {
	size_t node, tok;
	size_t roff, rlen;	/* the raw block indentation stripped inside */
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void
cursor_to(struct pstate *ps, size_t pos)
{
	for (; ps->cpos < pos; ps->cpos++) {
		unsigned char c = (unsigned char)ps->s[ps->cpos];

		if (c == '\n') {
			ps->cline++;
			ps->ccol = 1;
		} else if ((c & 0xc0) != 0x80) {
			ps->ccol++;
		}
	}
}

static struct tok *
add_tok(struct pstate *ps, enum tok_kind kind, size_t off, size_t len)
{
	struct tok *k;

	ps->tok = xgrow(ps->tok, &ps->captok, ps->ntok + 1, sizeof *ps->tok);
	k = &ps->tok[ps->ntok++];
	memset(k, 0, sizeof *k);
	k->kind = kind;
	k->off = k->toff = off;
	k->len = k->tlen = len;
	cursor_to(ps, off);
	k->line = ps->cline;
	k->col = ps->ccol;
	return k;
}

static void
add_text(struct pstate *ps, size_t p, size_t q)
{
	while (p < q) {
		const char *nl = memchr(ps->s + p, '\n', q - p);
		size_t e = nl ? (size_t)(nl - ps->s) + 1 : q;

		add_tok(ps, TK_TEXT, p, e - p);
		p = e;
	}
}

static void
err_tag(struct pstate *ps, const struct tok *k, const char *fmt)
{
	int n = k->tlen > 40 ? 40 : (int)k->tlen;

	diag_error(ps->d, ps->t->path, k->line, k->col, fmt, n,
	    ps->s + k->toff);
}

/* Parses "=<% %>=" content a..b into new delimiters; -1 when malformed. */
static int
set_delims(const char *s, size_t a, size_t b, char *od, size_t *odl,
    char *cd, size_t *cdl)
{
	size_t i, j, k;

	while (a < b && is_blank(s[a]))
		a++;
	while (b > a && is_blank(s[b - 1]))
		b--;
	for (i = a; i < b && !is_blank(s[i]); i++)
		if (s[i] == '=')
			return -1;
	for (j = i; j < b && is_blank(s[j]); j++)
		;
	for (k = j; k < b; k++)
		if (is_blank(s[k]) || s[k] == '=' || s[k] == '\n')
			return -1;
	if (i == a || j == i || k == j || i - a > MAX_DELIM ||
	    k - j > MAX_DELIM)
		return -1;
	memcpy(od, s + a, i - a);
	*odl = i - a;
	memcpy(cd, s + j, k - j);
	*cdl = k - j;
	return 0;
}

static int
tokenize(struct pstate *ps)
{
	const char *s = ps->s;
	char od[MAX_DELIM], cd[MAX_DELIM + 1], cl[MAX_DELIM + 1];
	size_t odl = 2, cdl = 2, cll, p = 0, len = ps->len;

	memcpy(od, "{{", 2);
	memcpy(cd, "}}", 2);
	while (p < len) {
		const char *o = memmem(s + p, len - p, od, odl);
		size_t q = o ? (size_t)(o - s) : len, a, c, b, e;
		enum tok_kind kind = TK_VAR;
		const char *f;
		struct tok *k;

		add_text(ps, p, q);
		if (!o)
			break;
		a = q + odl;
		cll = cdl;
		memcpy(cl, cd, cdl);
		switch (a < len ? s[a] : '\0') {
		case '{':
			kind = TK_RAW;
			/* the triple form closes with '}' before the delimiter */
			cl[0] = '}';
			memcpy(cl + 1, cd, cdl);
			cll = cdl + 1;
			break;
		case '=':
			kind = TK_DELIM;
			cl[0] = '=';
			memcpy(cl + 1, cd, cdl);
			cll = cdl + 1;
			break;
		case '&': kind = TK_RAW; break;
		case '#': kind = TK_SECTION; break;
		case '^': kind = TK_INVERTED; break;
		case '/': kind = TK_CLOSE; break;
		case '!': kind = TK_COMMENT; break;
		case '>': kind = TK_PARTIAL; break;
		case '<': kind = TK_PARENT; break;
		case '$': kind = TK_BLOCK; break;
		default: a--; break;
		}
		a++;
		f = a <= len ? memmem(s + a, len - a, cl, cll) : NULL;
		k = add_tok(ps, kind, q, (f ? (size_t)(f - s) + cll : len) - q);
		if (!f) {
			err_tag(ps, k, _("unclosed tag \"%.*s\""));
			return -1;
		}
		c = (size_t)(f - s);
		e = c + cll;
		if (kind == TK_DELIM) {
			if (set_delims(s, a, c, od, &odl, cd, &cdl) == -1) {
				err_tag(ps, k, _("bad delimiter change \"%.*s\""));
				return -1;
			}
		} else if (kind != TK_COMMENT) {
			b = c;
			while (a < b && (is_blank(s[a]) || s[a] == '\n' || s[a] == '\r'))
				a++;
			while (b > a && (is_blank(s[b - 1]) || s[b - 1] == '\n' ||
			    s[b - 1] == '\r'))
				b--;
			if (a == b) {
				err_tag(ps, k, _("empty tag \"%.*s\""));
				return -1;
			}
			k->off = a;
			k->len = b - a;
		}
		p = e;
	}
	return 0;
}

/* 1 when a text token is spaces and tabs, with at most a final newline. */
static int
ws_text(const struct pstate *ps, const struct tok *k)
{
	const char *t = ps->s + k->off;
	size_t n = k->len;

	if (n && t[n - 1] == '\n')
		n -= (n >= 2 && t[n - 2] == '\r') ? 2 : 1;
	while (n && is_blank(t[n - 1]))
		n--;
	return n == 0;
}

/*
 * Standalone lines: whitespace and either one non-output tag, or several
 * section, parent and block tags (so "{{<parent}}{{$block}}" counts) as
 * long as none of the sections or blocks opened there also closes there
 * (an inline "{{$b}}{{/b}}" marks where content goes).
 */
static int
line_standalone(const struct pstate *ps, size_t a, size_t b)
{
	enum tok_kind opens[MAX_LINE_OPENS];
	size_t j, ntags = 0, nopen = 0;
	const struct tok *k;

	for (j = a; j < b; j++) {
		k = &ps->tok[j];
		if (k->kind == TK_TEXT) {
			if (!ws_text(ps, k))
				return 0;
			continue;
		}
		if (k->kind == TK_VAR || k->kind == TK_RAW)
			return 0;
		ntags++;
	}
	if (ntags == 0)
		return 0;
	if (ntags == 1)
		return 1;
	for (j = a; j < b; j++) {
		k = &ps->tok[j];
		switch (k->kind) {
		case TK_TEXT:
			break;
		case TK_SECTION: case TK_INVERTED: case TK_PARENT: case TK_BLOCK:
			if (nopen == MAX_LINE_OPENS)
				return 0;
			opens[nopen++] = k->kind;
			break;
		case TK_CLOSE:
			if (nopen && opens[--nopen] != TK_PARENT)
				return 0;
			break;
		default:
			return 0;
		}
	}
	return 1;
}

static void
mark_line(struct pstate *ps, size_t a, size_t b)
{
	struct tok *k, *first = &ps->tok[a];
	size_t j, end, w;
	int blank;

	if (line_standalone(ps, a, b)) {
		k = &ps->tok[b - 1];
		end = k->toff + k->tlen;
		for (w = end; w < ps->len && is_blank(ps->s[w]); w++)
			;
		for (j = a; j < b; j++) {
			k = &ps->tok[j];
			k->standalone = 1;
			if (k->kind == TK_TEXT) {
				k->dropped = 1;
			} else if (k->kind == TK_BLOCK) {
				k->woff = end;
				k->wlen = w - end;
			} else if (first->kind == TK_TEXT) {
				k->woff = first->off;
				k->wlen = first->len;
			}
		}
		return;
	}
	/* blank lines ("\n" or "\r\n" alone) get no indentation */
	blank = b == a + 1 && first->kind == TK_TEXT &&
	    ps->s[first->off + first->len - 1] == '\n' &&
	    (first->len == 1 || (first->len == 2 && ps->s[first->off] == '\r'));
	if (!blank)
		first->bol = 1;
	if (b > a + 1 && first->kind == TK_TEXT && ws_text(ps, first) &&
	    ps->tok[a + 1].kind == TK_BLOCK) {
		ps->tok[a + 1].woff = first->off;
		ps->tok[a + 1].wlen = first->len;
	}
}

static void
mark_lines(struct pstate *ps)
{
	size_t a = 0, b;
	const struct tok *k;

	while (a < ps->ntok) {
		for (b = a; b < ps->ntok; b++) {
			k = &ps->tok[b];
			if (k->kind == TK_TEXT && ps->s[k->off + k->len - 1] == '\n') {
				b++;
				break;
			}
		}
		mark_line(ps, a, b);
		a = b;
	}
}

static struct tnode *
add_node(struct tpl *t, size_t *cap, enum tnode_type type, const struct tok *k)
{
	struct tnode *n;

	t->n = xgrow(t->n, cap, t->nlen + 1, sizeof *t->n);
	n = &t->n[t->nlen++];
	memset(n, 0, sizeof *n);
	n->type = type;
	n->end = t->nlen;
	n->off = k->off;
	n->len = k->len;
	n->line = k->line;
	n->col = k->col;
	return n;
}

/* Common prefix of two runs of blanks. */
static size_t
ws_common(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;

	for (i = 0; i < an && i < bn && a[i] == b[i] && is_blank(a[i]); i++)
		;
	return i;
}

static int
build(struct pstate *ps)
{
	struct tpl *t = ps->t;
	struct open *st = NULL, *top;
	size_t nst = 0, capst = 0, capn = 0, j, k, roff, rlen;
	int rc = -1, in_parent;
	struct tnode *n;
	struct tok *tk;
	enum tnode_type ty;

	for (j = 0; j < ps->ntok; j++) {
		tk = &ps->tok[j];
		if (tk->dropped)
			continue;
		top = nst ? &st[nst - 1] : NULL;
		in_parent = top && t->n[top->node].type == TN_PARENT;
		if (tk->bol && !in_parent)
			add_node(t, &capn, TN_INDENT, tk);
		switch (tk->kind) {
		case TK_TEXT:
			if (in_parent)
				break;
			k = 0;
			if (tk->bol && top)
				k = ws_common(ps->s + tk->off, tk->len,
				    ps->s + top->roff, top->rlen);
			if (tk->len > k) {
				n = add_node(t, &capn, TN_TEXT, tk);
				n->off += k;
				n->len -= k;
			}
			break;
		case TK_VAR:
		case TK_RAW:
			add_node(t, &capn, tk->kind == TK_VAR ? TN_VAR : TN_RAW, tk);
			break;
		case TK_PARTIAL:
		case TK_SECTION:
		case TK_INVERTED:
		case TK_PARENT:
		case TK_BLOCK:
			ty = tk->kind == TK_PARTIAL ? TN_PARTIAL :
			    tk->kind == TK_SECTION ? TN_SECTION :
			    tk->kind == TK_INVERTED ? TN_INVERTED :
			    tk->kind == TK_PARENT ? TN_PARENT : TN_BLOCK;
			n = add_node(t, &capn, ty, tk);
			n->standalone = tk->standalone;
			/* indentation is relative to the enclosing block's */
			k = top ? ws_common(ps->s + tk->woff, tk->wlen,
			    ps->s + top->roff, top->rlen) : 0;
			n->ioff = tk->woff + k;
			n->ilen = tk->wlen - k;
			if (ty == TN_PARTIAL)
				break;
			if (nst == MAX_NEST) {
				err_tag(ps, tk, _("sections nested too deeply at \"%.*s\""));
				goto out;
			}
			/* top dangles once st moves: read it first */
			roff = top ? top->roff : 0;
			rlen = top ? top->rlen : 0;
			st = xgrow(st, &capst, nst + 1, sizeof *st);
			st[nst].node = t->nlen - 1;
			st[nst].tok = j;
			st[nst].roff = roff;
			st[nst].rlen = rlen;
			if (ty == TN_BLOCK) {
				st[nst].roff = tk->woff;
				st[nst].rlen = tk->wlen;
			}
			nst++;
			break;
		case TK_CLOSE:
			if (!top) {
				err_tag(ps, tk, _("\"%.*s\" closes no section"));
				goto out;
			}
			n = &t->n[top->node];
			if (n->len != tk->len ||
			    memcmp(ps->s + n->off, ps->s + tk->off, tk->len) != 0) {
				const struct tok *o = &ps->tok[top->tok];

				diag_error(ps->d, t->path, tk->line, tk->col,
				    _("\"%.*s\" closes \"%.*s\""),
				    (int)(tk->tlen > 40 ? 40 : tk->tlen),
				    ps->s + tk->toff,
				    (int)(o->tlen > 40 ? 40 : o->tlen),
				    ps->s + o->toff);
				goto out;
			}
			nst--;
			if (n->type == TN_BLOCK && t->nlen > top->node + 1 &&
			    t->n[t->nlen - 1].type == TN_INDENT) {
				/* a trailing line start belongs after the block */
				t->nlen--;
				t->n[top->node].end = t->nlen;
				if (!(nst && t->n[st[nst - 1].node].type == TN_PARENT))
					add_node(t, &capn, TN_INDENT, tk);
			} else {
				n->end = t->nlen;
			}
			break;
		case TK_COMMENT:
		case TK_DELIM:
			break;
		}
	}
	if (nst) {
		err_tag(ps, &ps->tok[st[nst - 1].tok], _("unclosed section \"%.*s\""));
		goto out;
	}
	rc = 0;
out:
	free(st);
	return rc;
}

int
tpl_parse(struct tpl *t, const char *src, size_t len, struct diag *d)
{
	struct pstate ps;
	int rc = -1;

	memset(&ps, 0, sizeof ps);
	/* not xstrndup: a template may hold NUL bytes */
	t->src = xmalloc(len + 1);
	memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->srclen = len;
	ps.t = t;
	ps.s = t->src;
	ps.len = len;
	ps.d = d;
	ps.cline = ps.ccol = 1;
	if (tokenize(&ps) == -1)
		goto out;
	mark_lines(&ps);
	if (build(&ps) == -1)
		goto out;
	rc = 0;
out:
	free(ps.tok);
	return rc;
}

void
tpl_release(struct tpl *t)
{
	free(t->name);
	free(t->path);
	free(t->src);
	free(t->n);
	memset(t, 0, sizeof *t);
}
