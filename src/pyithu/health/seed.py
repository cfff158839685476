"""The clinics and red flags a new installation starts with. Operators edit them in the admin;
the data migration loads this list once and never overwrites their edits.

Burmese wording was drafted by an engineer and is marked for review by the Ministry's doctors.
"""

from __future__ import annotations

# slug, English, Burmese, mental health, patients book directly
CLINICS: list[tuple[str, str, str, bool, bool]] = [
    ("general", "General clinic", "အထွေထွေရောဂါကုဆေးခန်း", False, True),
    ("internal-medicine", "Internal medicine", "အတွင်းရောဂါ", False, False),
    ("paediatrics", "Children's health (paediatrics)", "ကလေးရောဂါ", False, False),
    ("obstetrics-gynaecology", "Obstetrics and gynaecology", "သားဖွားနှင့် မီးယပ်ရောဂါ", False, False),
    ("psychiatry", "Psychiatry", "စိတ်ရောဂါ", True, False),
    ("primary-mental-health", "Primary mental health", "အခြေခံ စိတ်ကျန်းမာရေး", True, True),
    ("dermatology", "Skin (dermatology)", "အရေပြားရောဂါ", False, False),
    ("ent", "Ear, nose and throat", "နား၊ နှာခေါင်း၊ လည်ချောင်း", False, False),
    ("eye", "Eye", "မျက်စိ", False, False),
    ("orthopaedics", "Bones and joints (orthopaedics)", "အရိုးအကြော", False, False),
    ("surgery", "Surgery", "ခွဲစိတ်ကုသ", False, False),
    ("cardiology", "Heart (cardiology)", "နှလုံးရောဂါ", False, False),
    ("neurology", "Nerves and brain (neurology)", "အာရုံကြောရောဂါ", False, False),
    ("endocrinology-diabetes", "Endocrinology and diabetes", "ဟော်မုန်းနှင့် ဆီးချိုရောဂါ", False, False),
    ("respiratory", "Lungs and breathing (respiratory)", "အဆုတ်နှင့် အသက်ရှူလမ်းကြောင်း", False, False),
    ("gastroenterology", "Stomach and gut (gastroenterology)", "အစာလမ်းကြောင်းရောဂါ", False, False),
    ("nephrology", "Kidneys (nephrology)", "ကျောက်ကပ်ရောဂါ", False, False),
    ("oncology", "Cancer (oncology)", "ကင်ဆာရောဂါ", False, False),
    (
        "infectious-diseases",
        "Infectious diseases incl. TB and HIV",
        "ကူးစက်ရောဂါ (တီဘီ၊ အိပ်ချ်အိုင်ဗွီ အပါအဝင်)",
        False,
        False,
    ),
    ("dental", "Teeth and mouth (dental)", "သွားနှင့် ခံတွင်း", False, False),
    ("nutrition", "Nutrition", "အာဟာရ", False, False),
    ("rehabilitation", "Rehabilitation", "ပြန်လည်သန်စွမ်းရေး ကုထုံး", False, False),
    (
        "sexual-reproductive-health",
        "Sexual and reproductive health",
        "မျိုးဆက်ပွား ကျန်းမာရေး",
        False,
        False,
    ),
    ("geriatrics", "Older people (geriatrics)", "သက်ကြီးရွယ်အို ကျန်းမာရေး", False, False),
    ("traditional-medicine", "Traditional medicine", "တိုင်းရင်းဆေး", False, False),
    ("emergency-guidance", "Emergency guidance", "အရေးပေါ် လမ်းညွှန်", False, False),
]

# slug, kind, label en, label my, keywords en, keywords my, first aid en, first aid my
RED_FLAGS: list[tuple[str, str, str, str, str, str, str, str]] = [
    (
        "chest-pain",
        "emergency",
        "Chest pain or tightness now",
        "ယခု ရင်ဘတ်အောင့်ခြင်း (သို့) ရင်ကျပ်ခြင်း",
        "chest pain\nchest tightness\nheart attack",
        "ရင်ဘတ်အောင့်\nရင်အုံနာ\nရင်ဘတ်နာ\nနှလုံးဖောက်",
        "Stop all effort: sit down and rest.\n"
        "If they are not allergic, chew one adult aspirin (300 mg).\n"
        "Loosen tight clothing and stay with them.",
        "လှုပ်ရှားမှုအားလုံး ရပ်ပြီး ထိုင်၍ အနားယူပါ။\n"
        "ဓာတ်မတည့်ခြင်း မရှိလျှင် အက်စ်ပရင် (၃၀၀ မီလီဂရမ်) တစ်လုံး ဝါးစားပါ။\n"
        "ကျပ်သော အဝတ်ကို ချောင်ပေးပြီး အနားတွင် နေပေးပါ။",
    ),
    (
        "heavy-bleeding",
        "emergency",
        "Heavy bleeding that does not stop",
        "မရပ်သော သွေးအများအပြား ထွက်ခြင်း",
        "heavy bleeding\nbleeding a lot\nhaemorrhage\nhemorrhage",
        "သွေးအများကြီးထွက်\nသွေးမတိတ်\nသွေးသွန်",
        "Press hard on the wound with a clean cloth and do not let go.\n"
        "Raise the injured part above the heart if you can.\n"
        "Keep the person lying down and warm.",
        "ဒဏ်ရာကို သန့်ရှင်းသော အဝတ်ဖြင့် ပြင်းပြင်း ဖိထားပြီး မလွှတ်ပါနှင့်။\n"
        "ဖြစ်နိုင်လျှင် ဒဏ်ရာရသော နေရာကို နှလုံးထက် မြင့်အောင် ထားပါ။\n"
        "လူနာကို လှဲထားပြီး နွေးထွေးအောင် ထားပါ။",
    ),
    (
        "trouble-breathing",
        "emergency",
        "Trouble breathing, lips turning blue",
        "အသက်ရှူရ ခက်ခဲခြင်း၊ နှုတ်ခမ်း ပြာလာခြင်း",
        "trouble breathing\ncannot breathe\ncan't breathe\nshort of breath\nbreathless",
        "အသက်ရှူခက်\nအသက်ရှူမဝ\nအသက်ရှူကျပ်\nမောဟိုက်",
        "Help them sit upright; do not let them lie flat.\n"
        "If they have an inhaler, help them use it.\n"
        "Keep them calm and in fresh air.",
        "မတ်မတ် ထိုင်စေပါ၊ ပက်လက် မလှဲပါစေနှင့်။\n"
        "ရှူဆေးရှိလျှင် သုံးရန် ကူညီပါ။\n"
        "စိတ်အေးအောင် ထားပြီး လေကောင်းလေသန့် ရအောင် ထားပါ။",
    ),
    (
        "unconscious",
        "emergency",
        "Unconscious or cannot be woken",
        "သတိလစ်နေခြင်း (သို့) နိုးမရခြင်း",
        "unconscious\npassed out\nnot waking\nunresponsive",
        "သတိလစ်\nသတိမေ့\nနိုးမရ",
        "Check they are breathing.\n"
        "Lay them on their side (recovery position) so they do not choke.\n"
        "Give nothing by mouth.",
        "အသက်ရှူနေသလား စစ်ပါ။\nအန်ဖတ် မနင်စေရန် ဘေးတစ်စောင်း လှဲထားပါ။\nပါးစပ်မှ ဘာမှ မတိုက်ပါနှင့်။",
    ),
    (
        "seizure",
        "emergency",
        "A seizure (fit) now or one that lasted over 5 minutes",
        "ယခု တက်နေခြင်း (သို့) ၅ မိနစ်ထက် ကြာအောင် တက်ခြင်း",
        "seizure\nconvulsion\nfitting",
        "တက်နေ\nအတက်\nဝက်ရူး",
        "Move hard objects away; do not hold them down.\n"
        "Put nothing in their mouth.\n"
        "When the shaking stops, turn them on their side.",
        "အနီးရှိ မာသော ပစ္စည်းများကို ဖယ်ပါ၊ ဖိမထားပါနှင့်။\n"
        "ပါးစပ်ထဲ ဘာမှ မထည့်ပါနှင့်။\n"
        "တက်ခြင်း ရပ်သွားလျှင် ဘေးတစ်စောင်း လှဲထားပါ။",
    ),
    (
        "stroke",
        "emergency",
        "Face drooping, arm weakness or slurred speech (stroke)",
        "မျက်နှာ ရွဲ့ခြင်း၊ လက်မောင်း အားနည်းခြင်း (သို့) စကားဝါးခြင်း (လေဖြတ်)",
        "stroke\nface drooping\nslurred speech",
        "လေဖြတ်\nမျက်နှာရွဲ့\nစကားဝါး",
        "Note the time the signs began: hospitals need it.\n"
        "Lay them down with the head a little raised.\n"
        "Give nothing by mouth.",
        "လက္ခဏာ စတင်သည့် အချိန်ကို မှတ်ထားပါ (ဆေးရုံက သိရန် လိုသည်)။\n"
        "ခေါင်းအနည်းငယ် မြင့်အောင် လှဲထားပါ။\n"
        "ပါးစပ်မှ ဘာမှ မတိုက်ပါနှင့်။",
    ),
    (
        "serious-injury",
        "emergency",
        "A serious injury: gunshot, blast, burn or bad fall",
        "ပြင်းထန်သော ဒဏ်ရာ- ကျည်ထိ၊ ဗုံး/မိုင်း၊ မီးလောင် (သို့) ပြုတ်ကျ",
        "gunshot\nlandmine\nexplosion\nblast\nsevere burn",
        "ကျည်ထိ\nမိုင်းထိ\nဗုံး\nမီးလောင်",
        "Stop bleeding with firm pressure.\n"
        "Cool burns with clean running water for 20 minutes.\n"
        "Do not move someone who may have a neck or back injury.",
        "သွေးထွက်ခြင်းကို ပြင်းပြင်း ဖိ၍ ရပ်ပါ။\n"
        "မီးလောင်ဒဏ်ရာကို သန့်ရှင်းသော ရေစီးဖြင့် မိနစ် ၂၀ အေးအောင် လုပ်ပါ။\n"
        "လည်ပင်း (သို့) ကျောရိုး ဒဏ်ရာ ရနိုင်သူကို မရွှေ့ပါနှင့်။",
    ),
    (
        "poisoning",
        "emergency",
        "Poisoning, overdose or snake bite",
        "အဆိပ်သင့်ခြင်း၊ ဆေးလွန်ခြင်း (သို့) မြွေကိုက်ခြင်း",
        "poison\noverdose\nsnake bite\nsnakebite",
        "အဆိပ်သင့်\nဆေးလွန်\nမြွေကိုက်",
        "Do not make them vomit.\n"
        "For a snake bite keep the limb still and below the heart; no cutting or sucking.\n"
        "Take the container or a photo of the snake to the clinic.",
        "အန်အောင် မလုပ်ပါနှင့်။\n"
        "မြွေကိုက်လျှင် ခြေလက်ကို မလှုပ်ဘဲ နှလုံးထက် နိမ့်အောင် ထားပါ၊ မခွဲ မစုပ်ပါနှင့်။\n"
        "ဆေးဘူး (သို့) မြွေဓာတ်ပုံကို ဆေးခန်းသို့ ယူသွားပါ။",
    ),
    (
        "pregnancy-danger",
        "emergency",
        "Pregnant with bleeding, severe belly pain or fits",
        "ကိုယ်ဝန်ဆောင်စဉ် သွေးဆင်းခြင်း၊ ဗိုက်အလွန်နာခြင်း (သို့) တက်ခြင်း",
        "pregnant bleeding\nwaters broke",
        "ကိုယ်ဝန် သွေးဆင်း\nရေမွှာပေါက်",
        "Lie on the left side.\nGo now with someone who can help on the way.",
        "ဘယ်ဘက် တစ်စောင်း လှဲပါ။\nလမ်းတွင် ကူညီနိုင်သူ တစ်ယောက်နှင့် ယခုပင် သွားပါ။",
    ),
    (
        "suicidal-thoughts",
        "suicide",
        "Thoughts of ending your life or hurting yourself",
        "ကိုယ့်အသက်ကို အဆုံးသတ်လိုစိတ် (သို့) ကိုယ့်ကိုယ်ကို နာကျင်စေလိုစိတ်",
        "suicide\nkill myself\nend my life\nwant to die\nhurt myself",
        "သတ်သေ\nကိုယ့်ကိုယ်ကိုသတ်\nသေချင်\nအသက်မရှင်ချင်",
        "You are not alone, and this feeling can pass.\n"
        "Message or call the Zero-Suicide hotline of the Ministry of Health now.\n"
        "Stay near someone you trust, and move away anything you could hurt yourself with.",
        "သင် တစ်ယောက်တည်း မဟုတ်ပါ၊ ဤခံစားချက်သည် ပြောင်းလဲသွားနိုင်ပါသည်။\n"
        "ကျန်းမာရေးဝန်ကြီးဌာန၏ ကိုယ့်ကိုယ်ကိုသတ်သေမှု ကာကွယ်ရေး ဖုန်းလိုင်းကို ယခုပင် ဆက်သွယ်ပါ။\n"
        "ယုံကြည်ရသူ တစ်ယောက်အနီးတွင် နေပြီး ကိုယ့်ကိုယ်ကို ထိခိုက်စေနိုင်သော ပစ္စည်းများကို ဖယ်ထားပါ။",
    ),
]
