#!/bin/bash
# cmp3.sh NEWPREFIX OLDPREFIX: cmpq.py over the three rankings of two q3.sh runs
python3 "$(dirname "$0")/cmpq.py" $1-s1 $2-s1 $1-s1000 $2-s1000 $1-s2000 $2-s2000
