/*
 * config.h - the registry (units.xml) and the rules (rules.xml): loaded from
 * XML validated against templates/schema/{units,rules}.xsd, and the lookups
 * the ledger stage needs.  No rule number lives in C code: everything the
 * regulation fixes comes from these files.
 */
#ifndef TB_CONFIG_H
#define TB_CONFIG_H

#include "model.h"
#include "diag.h"

/* Each returns 0, or -1 after adding errors to dl (then *out is freed/empty).
 * schema_dir holds units.xsd and rules.xsd. */
int  registry_load(const char *file, const char *schema_dir, registry_t *out,
    diag_list_t *dl);
/* Rules refer to groups of the registry (honours), so the registry comes first. */
int  rules_load(const char *file, const char *schema_dir, const registry_t *reg,
    rules_t *out, diag_list_t *dl);
void registry_free(registry_t *r);
void rules_free(rules_t *r);

/* Lookups by name_key() (SPEC 2.3: trimmed, full-width folded); -1 when
 * unknown.  Linear; callers with many rows build a strmap (ledger.c). */
long rules_find_kind(const rules_t *r, const char *name);
long rules_find_carrier(const rules_t *r, const char *name);
/*
 * Reads a 报送方式 field as SPEC 3.4 says: split at spaces and 、;；,，/:：
 * into words; a word is an accepted mailbox when it is a mailbox's name or
 * alias (its address among them, in any letter case), alone or followed by
 * 邮箱, 信箱 or 邮件 (综合科邮箱).  邮箱, 邮件, 电子邮件, email alone are
 * filler.  Returns true when any word is an accepted mailbox.  Each word
 * that is none of these nor one of the rules' other channels (电话, 短信 …)
 * is appended to *unknown when unknown is not NULL.
 */
bool rules_channel_read(const rules_t *r, const char *channel,
    struct strvec *unknown);
/* rules_channel_read(r, channel, NULL). */
bool rules_channel_accepted(const rules_t *r, const char *channel);

#endif
