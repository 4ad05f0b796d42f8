/* conf_weights.h - the next-edit confidence model (tc_edit_conf, sites.c)
 * and the server's threshold. Written by bench/nextedit_refit.sh
 * (bench/nextedit_conf_fit.py --write): refit, do not edit by hand
 * (docs/next-edits.md, "Refitting the confidence").
 * Fitted on commander,nan,node-addon-api,node-gyp,rxjs,s17-neconf-tacit,semver (3498 offers), threshold 0.68, rule's weight 1.00: precision 0.942 there. */
#ifndef TC_EDIT_CONF_WEIGHTS_H
#define TC_EDIT_CONF_WEIGHTS_H

/* the weight of each TC_EDIT_F_* (edit.h); one not named here counts 0 */
#define TC_EDIT_CONF_W \
    { \
        [TC_EDIT_F_KIND + TC_EDIT_RENAME] = 1.378, \
        [TC_EDIT_F_KIND + TC_EDIT_CALL] = -0.023, \
        [TC_EDIT_F_KIND + TC_EDIT_INSERT] = 0.000, \
        [TC_EDIT_F_KIND + TC_EDIT_BLOCK] = -0.778, \
        [TC_EDIT_F_KIND + TC_EDIT_LITERAL] = -0.949, \
        [TC_EDIT_F_KIND + TC_EDIT_TOKENS] = 0.373, \
        [TC_EDIT_F_KIND + TC_EDIT_TOP] = 3.593, \
        [TC_EDIT_F_KIND + TC_EDIT_LINT] = 1.461, \
        [TC_EDIT_F_KIND + TC_EDIT_TEMPLATE] = 2.206, \
        [TC_EDIT_F_KIND + TC_EDIT_DELETE] = 0.039, \
        [TC_EDIT_F_KIND + TC_EDIT_MEMBER] = 1.385, \
        [TC_EDIT_F_BASE] = 1.414, \
        [TC_EDIT_F_LEFT] = 0.397, \
        [TC_EDIT_F_RIGHT] = 0.164, \
        [TC_EDIT_F_LEFT3] = 1.011, \
        [TC_EDIT_F_RIGHT3] = -0.203, \
        [TC_EDIT_F_HEAD] = 0.062, \
        [TC_EDIT_F_CALLEE] = 0.463, \
        [TC_EDIT_F_FILE] = 0.934, \
        [TC_EDIT_F_NEAR] = 0.029, \
        [TC_EDIT_F_DIR] = 0.085, \
        [TC_EDIT_F_CONFIRMED] = 0.000, \
        [TC_EDIT_F_TWO] = 0.000, \
        [TC_EDIT_F_NAMES] = -0.127, \
        [TC_EDIT_F_NAMES_NEAR] = 0.383, \
        [TC_EDIT_F_MANY] = -0.947, \
        [TC_EDIT_F_LINE] = 0.000, \
        [TC_EDIT_F_MANY_SYNTAX] = 0.000, \
        [TC_EDIT_F_ROLE] = 2.398, \
        [TC_EDIT_F_LINE_FILE] = 1.357, \
        [TC_EDIT_F_SECOND_LOW] = 0.000, \
        [TC_EDIT_F_PUNCT] = 2.177, \
        [TC_EDIT_F_BOUND] = 1.369, \
        [TC_EDIT_F_FIRST_USE] = 1.425, \
        [TC_EDIT_F_PPLINE] = 0.600, \
        [TC_EDIT_F_INCLUDES] = 0.287, \
        [TC_EDIT_F_DECL_SCOPE] = 0.483, \
        [TC_EDIT_F_CALL_RENAME] = 1.381, \
        [TC_EDIT_F_SAME_PATH] = 0.956, \
    }
#define TC_EDIT_CONF_BIAS (-2.888)
/* a place's log-odds plus this times its rule's mean log-odds less TC_EDIT_CONF_RULE_MID */
#define TC_EDIT_CONF_RULE 1.00
#define TC_EDIT_CONF_RULE_MID 1.10
/* the lowest confidence with precision 0.9 where fitted */
#define TC_EDIT_OFFER_CONF 0.68

#endif
