"""Throughput of the text normaliser and Burmese word segmentation.

.venv/bin/python bench/text_normalise.py
"""

from __future__ import annotations

import os
import timeit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pyithu.settings")

import django

django.setup()

from pyithu.core.text import normalise_text, search_key  # noqa: E402

SAMPLES = {
    "english (60 chars)": "I have had a headache and a fever for three days, since Sunday",
    "unicode burmese": "ကျွန်ုပ်သည် သုံးရက်ကြာ ခေါင်းကိုက်ပြီး ဖျားနေပါသည်",
    # Zawgyi for "Myanmar" followed by a clause: the detector fires and ICU converts.
    "zawgyi burmese": "\u103b\u1019\u1014\u1039\u1019\u102c \u1031\u1006\u1038\u101b\u1036\u102f",
    "shan (no conversion)": "လိၵ်ႈတႆး",
}


def main() -> None:
    print(f"{'input':24} {'normalise µs':>13} {'search_key µs':>14}")
    for label, text in SAMPLES.items():
        runs = 2000
        norm = timeit.timeit(lambda t=text: normalise_text(t, language="my"), number=runs)
        key = timeit.timeit(lambda t=text: search_key(t), number=runs)
        print(f"{label:24} {norm / runs * 1e6:13.1f} {key / runs * 1e6:14.1f}")


if __name__ == "__main__":
    main()
