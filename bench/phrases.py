"""Phrase lists for realistic Chinese titles and contents (意见建议, 信访), composed at random."""

from __future__ import annotations

import random

PLACES = ("村口", "主干道", "中心小学门口", "农贸市场", "卫生院旁", "老街", "桥头", "安置小区", "文化广场",
          "村委会门前", "幼儿园附近", "沿河路", "工业园区", "公交站台", "养老服务中心", "菜市场东侧",
          "三岔路口", "新村组", "高速出口", "排灌站")
ISSUES = (
    ("城乡建设", ("路面破损严重", "路灯长期不亮", "排水沟堵塞", "危房无人修缮", "违章搭建影响通行", "下水道返味")),
    ("交通出行", ("缺少红绿灯", "公交班次太少", "停车位不足", "道路积水影响出行", "校车接送不安全", "缺少减速带")),
    ("农业农村", ("灌溉渠道淤塞", "农田水利设施老化", "土地流转费用未兑现", "农产品销售难", "化肥价格上涨",
                  "高标准农田建设进度慢")),
    ("环境保护", ("垃圾清运不及时", "河道漂浮物多", "养殖场异味扰民", "秸秆焚烧", "噪音扰民", "污水直排")),
    ("社会保障", ("养老金发放延迟", "医保报销手续繁琐", "低保评定不公开", "残疾人补贴未到位", "高龄津贴申领难")),
    ("教育卫生", ("学校食堂卫生差", "村卫生室缺医少药", "放学时段交通拥堵", "学位紧张", "疫苗接种排队时间长")),
    ("民生服务", ("自来水水压不足", "停电频繁", "燃气管道未接通", "快递无法送达", "网络信号差", "便民服务点关闭")),
    ("安全生产", ("消防通道被占用", "电动车违规充电", "液化气站存在隐患", "山塘堤坝渗水", "高压线离房屋过近")),
)
ASKS = ("建议尽快维修", "希望有关部门协调解决", "请求增设", "建议加强管理", "恳请尽快落实", "建议列入民生实事项目",
        "希望加大投入", "建议开展专项整治", "请相关单位调查处理", "希望给群众一个明确答复")
DETAILS = ("群众反映强烈", "已持续半年以上", "雨天尤为严重", "存在较大安全隐患", "多次反映未果", "涉及周边三百余户",
           "老人和儿童出行不便", "影响正常生产生活", "近期有所加重", "去年曾有人受伤")
PETITION_SUBJECTS = ("反映征地补偿款未足额发放", "反映拆迁安置房分配不公", "反映拖欠农民工工资", "反映邻里宅基地纠纷",
                     "反映村务财务不公开", "反映企业排污扰民", "反映低保资格被取消", "反映医疗事故处理不公",
                     "反映承包地被他人占用", "反映物业收费不合理", "反映社保缴费年限认定有误", "反映干部作风问题")
REPLY_TEXTS = ("经现场核查，已安排施工队维修完毕。", "已纳入本年度计划，预计年底前完成。",
               "已协调相关部门联合处理，情况已好转。", "因资金有限，暂列入明年计划，后续跟踪落实。",
               "已责成村委会整改，并加强日常巡查。", "已向上级部门反映，待批复后实施。")
OPINIONS = ("经调查核实，信访人反映的问题部分属实，已督促责任单位整改。",
            "依据相关政策，信访人诉求不予支持，已当面解释。",
            "已协调有关单位落实补偿，信访人表示认可。", "已组织双方调解，达成一致意见。")


def suggestion_text(rng: random.Random) -> tuple[str, str, str]:
    """(category, title, content) of one item."""
    category, issues = ISSUES[int(rng.random() * len(ISSUES))]
    place = PLACES[int(rng.random() * len(PLACES))]
    issue = issues[int(rng.random() * len(issues))]
    ask = ASKS[int(rng.random() * len(ASKS))]
    title = f"关于{place}{issue}的建议" if rng.random() < 0.6 else f"{place}{issue}，{ask}"
    parts = [f"{place}{issue}，{DETAILS[int(rng.random() * len(DETAILS))]}。"]
    for _ in range(1 + int(rng.random() * 3)):
        other = issues[int(rng.random() * len(issues))]
        parts.append(f"另外，{other}的问题也{DETAILS[int(rng.random() * len(DETAILS))]}。")
    parts.append(f"{ask}。")
    return category, title[:200], "".join(parts)


def petition_text(rng: random.Random) -> tuple[str, str]:
    subject = PETITION_SUBJECTS[int(rng.random() * len(PETITION_SUBJECTS))]
    detail = DETAILS[int(rng.random() * len(DETAILS))]
    place = PLACES[int(rng.random() * len(PLACES))]
    return subject, f"信访人{subject[2:]}，地点在{place}，{detail}，请求依法处理。"


def category_names() -> list[str]:
    """The suggestion categories every benchmark town has."""
    return [name for name, _issues in ISSUES]
