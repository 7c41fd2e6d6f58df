from ducha.plans.extract.leadership import extract_leadership
from ducha.plans.extract.names import split_names
from ducha.plans.extract.normalize import normalize


def test_names_split_by_spaces_inside_and_between():
    assert split_names("於招明   曹利军   王  蔚   黄  洪\n\n   任文华") == [
        "於招明", "曹利军", "王蔚", "黄洪", "任文华",
    ]  # fmt: skip
    assert split_names("刘石溪 邓英明 鲍 明 顾维臣") == ["刘石溪", "邓英明", "鲍明", "顾维臣"]


def test_posts_beside_names_are_dropped():
    assert split_names("张三（局长）、李四（副局长）") == ["张三", "李四"]
    assert split_names("王五同志") == ["王五"]


def test_roles_and_the_office_director():
    text = normalize(
        "现成立某某活动领导小组，具体名单如下：\n\n组  长：蒋海峰\n\n副组长：於招明   王  蔚\n\n"
        "成  员：周步春   陈菊玲\n\n领导小组下设办公室，办公室主任由王蔚同志兼任。\n"
    )
    lead = extract_leadership(text)
    assert lead["group_name"] == "某某活动领导小组"
    assert lead["leader"] == ["蒋海峰"]
    assert lead["deputy"] == ["於招明", "王蔚"]
    assert lead["members"] == ["周步春", "陈菊玲"]
    assert lead["office_director"] == ["王蔚"]


def test_members_described_not_named():
    text = normalize(
        "组 长:王 军\n成 员:市局(公司)各部门负责人和各县(市、区)局主要负责人。\n"
        "领导小组下设办公室,主任由宋宴清担任。\n"
    )
    lead = extract_leadership(text)
    assert lead["leader"] == ["王军"]
    assert lead["members"] == []
    assert lead["office_director"] == ["宋宴清"]


def test_masked_names_are_not_names():
    lead = extract_leadership("成立改革领导小组:组长:xxx副组长:xxx成员:xxxxxxxxx")
    assert lead["leader"] == lead["deputy"] == lead["members"] == []


def test_no_group():
    lead = extract_leadership("认真开展活动。")
    assert lead == {
        "group_name": None, "leader": [], "deputy": [], "members": [], "office_director": [],
    }  # fmt: skip
