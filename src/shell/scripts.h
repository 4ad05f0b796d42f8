/* scripts.h - the shell integration scripts (shell/tacit.bash and
 * shell/tacit.zsh), built into the binary so that `tacit shell init` needs
 * no installed file. Each is NUL-terminated; "@TACIT_BIN@" in it stands
 * for the tacit binary's path, quoted for the shell. */
#ifndef TC_SHELL_SCRIPTS_H
#define TC_SHELL_SCRIPTS_H

extern const char tc_shell_script_bash[];
extern const char tc_shell_script_zsh[];

#endif
