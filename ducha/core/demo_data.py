"""The tables behind `ducha load_demo`.

The story is the district plan in shared/seeds/000_85cf68c62efb8e40.txt: 台州市黄岩区卫生局's
黄卫发〔2012〕39号, the 2012 "进村入企大走访、比学赶创促发展" visiting drive. Its attachment 1 names
the leadership group, attachment 2 the bureau leaders with their posts and the units each of
them visits; the units below come from that table and from the plan's building projects.
Which township health centre belongs to which central centre, and everything generated (staff,
villages, households), is illustrative, not taken from the plan.
"""

from ducha.orgs.models import OrgUnit, Place

K = OrgUnit.Kind

# (code, name, short name, kind) from the province down to the district bureau.
PROVINCE = ("ZJ", "浙江省卫生厅", "省卫生厅", K.COMMISSION)
CITY = ("TZ", "台州市卫生局", "市卫生局", K.BUREAU)
DISTRICT = ("HY", "台州市黄岩区卫生局", "黄岩区卫生局", K.BUREAU)

# The bureau's own sections. 人事监察科 receives the units' summary reports (the plan's contact
# person 吴元 works there).
BUREAU_SECTIONS = [
    ("HY-BGS", "办公室", "", K.DEPARTMENT),
    ("HY-RSJC", "人事监察科", "", K.DEPARTMENT),
    ("HY-YZK", "医政科", "", K.DEPARTMENT),
    ("HY-GWK", "公共卫生科", "", K.DEPARTMENT),
    ("HY-CWK", "财务科", "", K.DEPARTMENT),
]

# Units under the district bureau: (code, name, short name, kind, [subordinate units]).
# "及其管辖乡、镇（街道）卫生院" in attachment 2 makes the township centres children of the
# central centre (or hospital) that runs them, so a leader's visiting duty is one subtree.
UNITS = [
    ("HY-TYY", "台州市第一人民医院", "台一医", K.HOSPITAL, []),
    ("HY-ZYY", "黄岩区中医院", "区中医院", K.HOSPITAL, []),
    ("HY-SY", "黄岩区第三人民医院", "区第三人民医院", K.HOSPITAL, []),
    ("HY-FY", "黄岩区妇幼保健院", "区妇幼保健院", K.MATERNAL_CHILD, []),
    (
        "HY-HSZ",
        "黄岩区红十字医院",
        "区红十字医院",
        K.HOSPITAL,
        [
            ("HY-DC", "东城街道卫生院", "", K.TOWNSHIP_CENTRE),
            ("HY-NC", "南城街道卫生院", "", K.TOWNSHIP_CENTRE),
            ("HY-JK", "江口街道卫生院", "", K.TOWNSHIP_CENTRE),
            ("HY-XQ", "新前街道卫生院", "", K.TOWNSHIP_CENTRE),
        ],
    ),
    (
        "HY-YQ",
        "院桥中心卫生院",
        "",
        K.TOWNSHIP_CENTRE,
        [
            ("HY-SB", "沙埠镇卫生院", "", K.TOWNSHIP_CENTRE),
            ("HY-GQ", "高桥街道卫生院", "", K.TOWNSHIP_CENTRE),
        ],
    ),
    (
        "HY-NX",
        "宁溪中心卫生院",
        "",
        K.TOWNSHIP_CENTRE,
        [
            ("HY-SYX", "上垟乡卫生院", "", K.TOWNSHIP_CENTRE),
            ("HY-YT", "屿头乡卫生院", "", K.TOWNSHIP_CENTRE),
            ("HY-FS", "富山乡卫生院", "", K.TOWNSHIP_CENTRE),
        ],
    ),
    (
        "HY-BY",
        "北洋中心卫生院",
        "",
        K.TOWNSHIP_CENTRE,
        [
            ("HY-TT", "头陀镇卫生院", "", K.TOWNSHIP_CENTRE),
            ("HY-PT", "平田乡卫生院", "", K.TOWNSHIP_CENTRE),
            ("HY-MS", "茅畲乡卫生院", "", K.TOWNSHIP_CENTRE),
        ],
    ),
    ("HY-WSJD", "黄岩区卫生监督所", "区卫生监督所", K.SUPERVISION, []),
    ("HY-CDC", "黄岩区疾病预防控制中心", "区疾病控制中心", K.CDC, []),
    ("HY-GWZX", "黄岩区公共卫生服务中心", "区公共卫生服务中心", K.OTHER, []),
]

# Clinical departments (科室) of the larger hospitals.
DEPARTMENTS = {
    "HY-TYY": ["内科", "外科", "妇产科", "儿科", "急诊科"],
    "HY-ZYY": ["内科", "针灸推拿科"],
    "HY-SY": ["精神科", "康复科"],
}

# Attachment 1 and 2: the bureau's leadership, in the plan's order, with the posts the
# visiting table gives them. 黄洪 also directs the leadership group's office.
LEADERS = [
    ("蒋海峰", "male", ["党委书记", "局长"]),
    ("於招明", "male", ["党委委员"]),
    ("曹利军", "male", ["党委委员", "副局长"]),
    ("金永志", "male", ["党委委员", "副局长"]),
    ("王蔚", "female", ["党委委员", "副局长"]),
    ("黄洪", "male", ["党委委员", "纪委书记", "领导小组办公室主任"]),
    ("任文华", "male", ["党委委员"]),
]
HEAD_OF_BUREAU = "蒋海峰"
OFFICE_DIRECTOR = "黄洪"

# Attachment 1's members (成员). The plan gives no posts: heading a bureau section is assumed.
GROUP_MEMBERS = [
    ("周步春", "male", "HY-BGS", "主任"),
    ("陈菊玲", "female", "HY-RSJC", "科长"),
    ("顾士德", "male", "HY-YZK", "科长"),
    ("王敏玲", "female", "HY-GWK", "科长"),
    ("屠慧芬", "female", "HY-CWK", "科长"),
]

# The plan's contact for the summary reports due 18 June ("联系人：吴元，联系电话：84120979").
CONTACT = ("吴元", "male", "HY-RSJC", "科员", "0576-84120979")

# Attachment 2: 局领导班子成员走访活动安排表, leader → the units (subtrees) they visit.
LEADER_VISITS = {
    "蒋海峰": ["HY-TYY"],
    "於招明": ["HY-ZYY"],
    "曹利军": ["HY-SY", "HY-FY"],
    "金永志": ["HY-HSZ"],
    "王蔚": ["HY-YQ"],
    "黄洪": ["HY-NX"],
    "任文华": ["HY-WSJD", "HY-CDC", "HY-BY"],
}

# The unit the story's head, coordinator and staff accounts work at: 宁溪中心卫生院, whose
# relocation the plan wants finished "尽快", visited by the office director himself.
STORY_UNIT = "HY-NX"

# Title of the unit head (一把手) and the staff posts generated for each kind of unit.
HEAD_TITLES = {
    K.HOSPITAL: "院长",
    K.TOWNSHIP_CENTRE: "院长",
    K.MATERNAL_CHILD: "院长",
    K.CDC: "主任",
    K.SUPERVISION: "所长",
    K.OTHER: "主任",
    K.DEPARTMENT: "科主任",
}
COORDINATOR_TITLE = "办公室主任"
STAFF_POSTS = {
    K.HOSPITAL: [("医生", 8), ("护士", 7), ("药剂师", 1), ("检验师", 1), ("科员", 2)],
    K.TOWNSHIP_CENTRE: [("医生", 6), ("护士", 4), ("公卫医生", 3), ("药剂师", 1), ("科员", 1)],
    K.MATERNAL_CHILD: [("医生", 6), ("护士", 6), ("科员", 2)],
    K.CDC: [("医生", 4), ("检验师", 3), ("科员", 3)],
    K.SUPERVISION: [("卫生监督员", 6), ("科员", 2)],
    K.OTHER: [("医生", 3), ("科员", 3)],
    K.DEPARTMENT: [("科员", 1)],
}
# Posts that may be a grid cell's responsible doctor (责任医生).
DOCTOR_POSTS = ("医生", "公卫医生")
FEMALE_LEANING_POSTS = {"护士": 0.95}

SURNAMES = (
    "王王王李李张张陈陈陈林林林黄吴吴周徐金金潘蒋牟叶叶章卢应方郑郑朱陶梁管杨"
    "何胡赵罗梅柯许蔡杜颜阮项严戴池葛"
)
GIVEN_MALE = "伟强军勇杰斌涛明超辉刚健峰磊鹏波华平东海建国志宏洪文武兴林春晓宇浩俊"
GIVEN_FEMALE = "丽敏静燕芳娟霞红玲萍艳英慧婷倩洁琳雪梅兰春晓颖佳莉娜琴秀云月珍"

# Health centres named 街道 serve urban communities (社区); the rest serve villages (村).
VILLAGE_HEADS = "上下前后东西南北新大小高山溪长横塘岭坑"
VILLAGE_TAILS = "岙洋桥坑头岭塘浦田垟湾岩庄宅洞溪"
COMMUNITY_NAMES = [
    "城东",
    "城西",
    "城南",
    "城北",
    "桔乡",
    "永宁",
    "双江",
    "锦江",
    "新城",
    "九峰",
    "江滨",
    "劳动",
    "天长",
    "寺前",
]

# Huangyan makes moulds and plastics and grows mandarins (黄岩蜜橘).
ENTERPRISE_BRANDS = [
    "永盛",
    "华鑫",
    "宏达",
    "精诚",
    "恒通",
    "金橘",
    "天成",
    "兴业",
    "博远",
    "瑞丰",
    "凯华",
    "东方",
    "美佳",
    "嘉德",
]
ENTERPRISE_TRADES = [
    "模具有限公司",
    "塑料制品有限公司",
    "蜜橘专业合作社",
    "食品有限公司",
    "鞋业有限公司",
    "机械有限公司",
]

# 黄岩区's administrative division code: the first six digits of local ID numbers.
REGION_CODE = "331003"
MOBILE_PREFIXES = ("130", "133", "135", "137", "138", "139", "150", "158", "177", "187", "189")

HOUSEHOLD_KINDS = [
    (Place.HouseholdKind.POOR, 5),
    (Place.HouseholdKind.VETERAN_PARTY_MEMBER, 3),
    (Place.HouseholdKind.PETITIONER, 2),
]

# Login accounts: username → who. "role" is what the account is meant to show.
ACCOUNTS = [
    ("admin", "system_admin"),
    ("office", "campaign_office"),
    ("leader", "bureau_leader"),
    ("head", "unit_head"),
    ("coordinator", "coordinator"),
    ("staff", "staff"),
    ("inspector", "inspector"),
]
