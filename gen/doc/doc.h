/*
 * doc.h - the document model of a notice: what it says, not how it looks.
 * notice.c builds it from the results and the wording in templates/; the PDF
 * backend (render_pdf.c) and the HTML backend (render_html.c) both render
 * this one model, so they can never disagree.  All strings are valid UTF-8,
 * unescaped (backends escape for their format), owned by the doc.
 */
#ifndef TB_DOC_H
#define TB_DOC_H

#include <stddef.h>
#include <stdbool.h>

enum doc_align { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };

/*
 * What a column of a ranking is to a reader who has room for three: the
 * rank, the name of the row and the figure the table is sorted by (总分;
 * 全年 in the year).  The portal page keeps those three in view on a
 * phone and folds the rest; the PDF prints every column alike.
 */
enum doc_col_role { COL_PLAIN = 0, COL_RANK, COL_NAME, COL_KEY };

typedef struct doc_table {
	char           *caption;  /* e.g. "市州司法局" (a table per group) */
	size_t          ncols;
	char          **head;     /* ncols header cells */
	enum doc_align *align;    /* ncols; numbers ALIGN_RIGHT */
	unsigned       *weight;   /* ncols relative column widths, recorded in
	                             notice.xml; the PDF measures its columns */
	size_t          nrows;
	char         ***cells;    /* nrows x ncols */
	unsigned char  *media;    /* nrows: where each row is shown (enum doc_media) */
	/* links on the portal (the PDF draws none of them): */
	char           *id;       /* the table's anchor name (a group's id), or NULL */
	unsigned char  *role;     /* ncols: enum doc_col_role */
	char          **row_id;   /* nrows: each row's anchor name (a unit's id) or
	                           * NULL; the array is NULL while no row has one */
} doc_table_t;

/*
 * Where a table row is shown.  A long list is printed in part (the PDF
 * keeps what a reader of paper needs, and says what it leaves out) and
 * published whole on the portal: the document holds both kinds of row, and
 * each backend shows the rows meant for it.
 */
enum doc_media {
	MEDIA_ALL = 0,     /* PDF and HTML */
	MEDIA_PRINT,       /* the PDF only (e.g. "and 12 more, on the portal") */
	MEDIA_WEB,         /* the HTML only (the rows the PDF leaves out) */
};

typedef struct doc_chart {
	char   *title;            /* e.g. "各组平均得分" */
	char   *alt;              /* text alternative, a full sentence */
	char   *value_label;      /* axis label, e.g. "分" */
	size_t  nbars;
	char  **labels;
	double *values;           /* >= 0 */
	char  **value_text;       /* the values as printed ("62.5") */
} doc_chart_t;

enum block_type {
	BLK_HEADING,   /* level 1 "一、" 黑体, 2 "（一）" 楷体, 3 "1." 仿宋; text includes the number */
	BLK_PARA,      /* body paragraph, first line indented two characters */
	BLK_LIST,      /* items: one paragraph each, numbered by the text itself */
	BLK_TABLE,
	BLK_CHART,
};

typedef struct doc_block {
	enum block_type type;
	int             level;    /* headings */
	char           *text;     /* heading, paragraph */
	char          **items; size_t nitems;   /* list */
	doc_table_t    *table;
	doc_chart_t    *chart;
} doc_block_t;

typedef struct doc_section {          /* the body, or one attachment */
	char        *label;               /* "附件1" (NULL for the body) */
	char        *title;               /* attachment title (NULL for the body) */
	doc_block_t *blocks; size_t nblocks, cap;
} doc_section_t;

typedef struct doc_meta {             /* the portal's metadata strip */
	char *index_no;    /* 索引号 */
	char *category;    /* 分类 */
	char *publisher;   /* 发布机构 */
	char *date_iso;    /* 发文日期 2017-04-05 */
	char *validity;    /* 有效性 */
	char *column;      /* the portal's column (栏目) the page is filed under */
	char *keywords;    /* 关键词, comma-separated */
} doc_meta_t;

typedef struct doc {
	char *issuer;        /* 发文机关标志, e.g. 湖北省司法厅办公室 (red) */
	char *doc_number;    /* 发文字号 鄂司办通〔2017〕12号; NULL: leave a visible blank */
	char *doc_number_blank; /* what to print when doc_number is NULL, e.g. 鄂司办通〔2017〕  号 */
	char *title;         /* 关于2017年第一季度…的通报 */
	char *recipients;    /* 主送机关, ending in a full-width colon */
	doc_section_t body;
	char **attach_note; size_t nattach_note;  /* 附件说明 lines: "1.××" */
	char *signature;     /* 发文机关署名 */
	char *date_cn;       /* 成文日期 2017年4月5日 */
	doc_section_t *attachments; size_t nattachments;
	char *cc;            /* 抄送 (without the label), NULL for none */
	char *printer;       /* 印发机关 */
	char *print_date;    /* 印发日期 2017年4月5日印发 */
	doc_meta_t meta;
	char *author;        /* PDF info: the issuing office */
	char *subject;       /* PDF info */
	long long epoch;     /* issue date as seconds since 1970 UTC (PDF dates), deterministic */
	char *anchor;        /* the notice's short name on the portal, e.g. 2017q3:
	                      * every id of its page starts tb-2017q3 (NULL: tb) */
	char **keep; size_t nkeep;   /* phrases a table cell never breaks
	                        inside when its column can be widened: the
	                        registry's unit names (doc_add_keep) */
	long long created;   /* when the file was made, from its inputs (run.c:
	                        SOURCE_DATE_EPOCH or the newest input's mtime);
	                        the PDF's CreationDate and ModDate.  0: epoch */
} doc_t;

/* Building (notice.c and tests).  All functions copy their string arguments. */
doc_t       *doc_new(void);
void         doc_free(doc_t *d);
doc_block_t *doc_add_heading(doc_section_t *s, int level, const char *text);
doc_block_t *doc_add_para(doc_section_t *s, const char *text);
doc_block_t *doc_add_list(doc_section_t *s, const char *const *items, size_t n);
doc_table_t *doc_add_table(doc_section_t *s, const char *caption, size_t ncols,
    const char *const *head, const enum doc_align *align, const unsigned *weight);
void         doc_table_add_row(doc_table_t *t, const char *const *cells);
void         doc_table_add_row_for(doc_table_t *t, const char *const *cells,
    enum doc_media media);
/* The portal's anchors (doc_table_t): the table's own, a row's (r < nrows)
 * and a column's role. */
void         doc_table_set_id(doc_table_t *t, const char *id);
void         doc_table_set_row_id(doc_table_t *t, size_t r, const char *id);
void         doc_table_set_role(doc_table_t *t, size_t col, enum doc_col_role role);
doc_chart_t *doc_add_chart(doc_section_t *s, const char *title, const char *alt,
    const char *value_label);
void         doc_chart_add_bar(doc_chart_t *c, const char *label, double value,
    const char *value_text);
doc_section_t *doc_add_attachment(doc_t *d, const char *label, const char *title);
void         doc_set(char **field, const char *value);   /* frees old, copies new */
/* Adds phrase to d->keep (a copy; an empty one or one already there is not
 * added). */
void         doc_add_keep(doc_t *d, const char *phrase);

#endif
