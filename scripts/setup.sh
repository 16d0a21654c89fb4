#!/usr/bin/env bash
# Install what the service and its tests need on a fresh Debian/Ubuntu machine: system packages
# (Tesseract for OCR, Python venv support, Chromium for the playground's browser test) and the project in
# .venv. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need_apt=()
command -v tesseract >/dev/null 2>&1 || need_apt+=(tesseract-ocr tesseract-ocr-eng)
command -v antiword >/dev/null 2>&1 || need_apt+=(antiword)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# OCR models: the Latin-script model (the accents of every Latin-alphabet language), single languages as fallbacks.
for model in Latin:script-latn deu:deu fra:fra spa:spa por:por; do
  if ! tesseract --list-langs 2>/dev/null | grep -qx "${model%%:*}"; then
    need_apt+=("tesseract-ocr-${model#*:}")
  fi
done
if [ "${#need_apt[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev]'
