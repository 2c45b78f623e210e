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
/* Does a channel field ("综合科;督办科", "sifatingzhk@163.com、电话") name an
 * accepted mailbox?  Case-insensitive, separators ';' '；' '、' ','. */
bool rules_channel_accepted(const rules_t *r, const char *channel);

#endif
