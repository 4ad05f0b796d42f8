/* scripts.c - shell/tacit.bash and shell/tacit.zsh as bytes of the binary
 * (the Makefile rebuilds this object when they change). */
#include "shell/scripts.h"

__asm__(".section .rodata\n"
        ".global tc_shell_script_bash\n"
        ".type tc_shell_script_bash, @object\n"
        "tc_shell_script_bash:\n"
        ".incbin \"shell/tacit.bash\"\n"
        ".byte 0\n"
        ".global tc_shell_script_zsh\n"
        ".type tc_shell_script_zsh, @object\n"
        "tc_shell_script_zsh:\n"
        ".incbin \"shell/tacit.zsh\"\n"
        ".byte 0\n"
        ".previous\n");
