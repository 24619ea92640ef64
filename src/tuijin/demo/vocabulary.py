"""Words the demo builds Chinese names, owners and addresses from (pure data, no logic).

Place and road names are real places of each Zhengzhou unit so that the demo
reads like the city's own project lists; companies, brands, people and city
leaders are fictional. A unit the table does not know (another city's plan)
falls back to generic words.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- places ------------------------------------------------------------------------------

#: unit code → (towns / streets / areas, roads)
PLACES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "zhongyuan": (
        ("须水", "林山寨", "棉纺路", "汝河路", "三官庙", "绿东村", "秦岭路", "莲湖", "西流湖", "石佛"),
        ("中原西路", "建设西路", "化工路", "陇海西路", "桐柏路", "秦岭路", "西四环", "航海西路", "郑上路", "须水河路"),
    ),
    "erqi": (
        ("马寨", "侯寨", "樱桃沟", "长江路", "大学路", "淮河路", "德化街", "京广路", "嵩山路", "福华街"),
        ("京广南路", "大学南路", "航海中路", "长江路", "嵩山南路", "南三环", "淮河路", "兴华街", "齐礼阎路", "马寨大道"),
    ),
    "guancheng": (
        ("南曹", "十八里河", "金岱", "紫荆山南路", "商城路", "航海东路", "东大街", "陇海马路", "南关", "城东路"),
        ("紫荆山南路", "城东南路", "航海东路", "商都路", "南三环", "中州大道", "未来路", "货站街", "二里岗南街", "文治路"),
    ),
    "jinshui": (
        ("花园路", "北林路", "杨金", "丰庆路", "国基路", "经八路", "文化路", "东风路", "丰产路", "兴达路"),
        ("花园路", "农业路", "东风路", "文化路", "北三环", "金水路", "国基路", "丰庆路", "南阳路", "中州大道"),
    ),
    "shangjie": (
        ("峡窝", "济源路", "工业路", "中心路", "许昌路", "新安路", "矿山", "汝南路"),
        ("中心路", "济源路", "汝南路", "许昌路", "登封路", "新安路", "工业路", "淮阳路"),
    ),
    "huiji": (
        ("花园口", "古荥", "新城", "长兴路", "迎宾路", "大河路", "刘寨", "江山路", "天河路", "文化北路"),
        ("江山路", "天河路", "开元路", "英才街", "长兴路", "北四环", "迎宾路", "清华园路", "京广快速路", "新城路"),
    ),
    "zhongmou": (
        ("白沙", "韩寺", "官渡", "雁鸣湖", "狼城岗", "绿博", "姚家", "大孟", "刘集", "万滩"),
        ("郑开大道", "人文路", "万洪路", "商都大道", "牟州大道", "中兴路", "青年路", "清风路", "官渡大道", "文昌路"),
    ),
    "gongyi": (
        ("回郭镇", "米河", "孝义", "竹林", "站街", "小关", "大峪沟", "鲁庄", "河洛", "涉村"),
        ("东区大道", "嵩山路", "杜甫路", "新兴路", "青龙山路", "陇海路", "桐本路", "紫荆路", "人民路", "建设路"),
    ),
    "xingyang": (
        ("广武", "高村", "汜水", "豫龙", "贾峪", "乔楼", "崔庙", "王村", "城关", "京城路"),
        ("索河路", "京城路", "演武路", "荥泽大道", "广武路", "中原西路", "郑上路", "五龙路", "科学大道", "塔山路"),
    ),
    "xinmi": (
        ("曲梁", "来集", "超化", "大隗", "刘寨", "岳村", "白寨", "平陌", "牛店", "青屏"),
        ("青屏大街", "溱水路", "开阳路", "西大街", "郑密路", "嵩山大道", "长乐路", "新华路", "金凤路", "矿区路"),
    ),
    "xinzheng": (
        ("龙湖", "孟庄", "薛店", "新村", "和庄", "郭店", "辛店", "梨河", "龙王", "观音寺"),
        ("轩辕路", "中华路", "人民路", "新建路", "黄帝故里大道", "学院路", "文化路", "双湖大道", "郑新快速路", "新华路"),
    ),
    "dengfeng": (
        ("大冶", "告成", "颍阳", "卢店", "少林", "嵩阳", "中岳", "东华", "宣化", "君召"),
        ("少林大道", "嵩阳路", "中岳大街", "书院河路", "崇高路", "大禹路", "颍河路", "天中大道", "玉泉路", "太室路"),
    ),
    "zhengdong": (
        ("龙湖", "龙子湖", "白沙", "如意湖", "北龙湖", "祭城", "杨桥", "博学路", "高铁站", "金光路"),
        ("商务外环路", "金水东路", "龙湖中环路", "平安大道", "东风南路", "七里河南路", "中州大道", "农业东路", "熊儿河路", "心怡路"),
    ),
    "jingkai": (
        ("九龙", "潮河", "滨河", "前程", "明湖", "京航", "祥云", "经开第八大街", "航海东路", "朝凤路"),
        ("经开第八大街", "经开第十五大街", "航海东路", "经北一路", "经南五路", "第三大街", "前程大道", "商都路", "南三环东延", "经开第二十二大街"),
    ),
    "gaoxin": (
        ("沟赵", "石佛", "双桥", "枫杨", "梧桐", "冬青", "须水西", "瑞达路", "长椿路", "红松路"),
        ("科学大道", "长椿路", "西三环", "化工路", "莲花街", "雪松路", "瑞达路", "翠竹街", "西四环", "红松路"),
    ),
    "hangkonggang": (
        ("双鹤湖", "三官庙", "滨河", "八岗", "张庄", "龙王", "明港", "银河", "新港", "冯堂"),
        ("郑港一街", "郑港四路", "新港大道", "四港联动大道", "迎宾大道", "雍州路", "郑州大道", "长安路", "兰河路", "航兴路"),
    ),
}
GENERIC_PLACES = (
    ("城东", "城西", "城南", "城北", "新区", "老城", "开发区", "高铁站"),
    ("人民路", "建设路", "解放路", "中山路", "文化路", "新华路", "环城路", "迎宾大道"),
)

#: unit code → rivers running through it
RIVERS: dict[str, tuple[str, ...]] = {
    "zhongyuan": ("须水河", "贾鲁河", "索须河"),
    "erqi": ("金水河", "十七里河", "贾鲁河"),
    "guancheng": ("熊儿河", "十八里河", "七里河"),
    "jinshui": ("金水河", "东风渠", "魏河"),
    "shangjie": ("枯河", "汜水河"),
    "huiji": ("贾鲁河", "索须河", "东风渠"),
    "zhongmou": ("贾鲁河", "丈八沟", "七里河"),
    "gongyi": ("伊洛河", "坞罗河", "后寺河"),
    "xingyang": ("索河", "汜水河", "枯河"),
    "xinmi": ("双洎河", "溱水河", "绥水河"),
    "xinzheng": ("双洎河", "黄水河", "十七里河"),
    "dengfeng": ("颍河", "书院河", "少阳河"),
    "zhengdong": ("魏河", "七里河", "东风渠"),
    "jingkai": ("潮河", "七里河"),
    "gaoxin": ("索须河", "须水河"),
    "hangkonggang": ("梅河", "丈八沟", "小清河"),
}
GENERIC_RIVERS = ("东河", "西河", "南河", "北河")

RESERVOIR_STEMS = (
    "常庄", "尖岗", "后胡", "丁店", "李湾", "五星", "楚楼", "坞罗", "纸坊", "王宗店", "窑沟", "马鞍洞",
    "石门", "黄庄", "杨树沟", "老虎洞", "金牛", "东风", "红旗", "前进", "跃进", "胜利", "青年", "向阳",
)

#: Reconstruction is heaviest where the July 2021 flood hit hardest (mountain counties, old districts).
RECONSTRUCTION_WEIGHTS: dict[str, float] = {
    "zhongyuan": 8, "erqi": 8, "guancheng": 6, "jinshui": 8, "shangjie": 3, "huiji": 6, "zhongmou": 6,
    "gongyi": 9, "xingyang": 8, "xinmi": 9, "xinzheng": 7, "dengfeng": 8, "zhengdong": 4, "jingkai": 3,
    "gaoxin": 3, "hangkonggang": 4,
}

#: Regular projects: the zones and big districts carry more.
UNIT_WEIGHTS: dict[str, float] = {
    "zhongyuan": 6, "erqi": 6, "guancheng": 5, "jinshui": 9, "shangjie": 2, "huiji": 5, "zhongmou": 6,
    "gongyi": 4, "xingyang": 4, "xinmi": 3, "xinzheng": 6, "dengfeng": 3, "zhengdong": 11, "jingkai": 11,
    "gaoxin": 10, "hangkonggang": 14,
}

#: unit code → weights of (industrial, infrastructure, real_estate, social, other)
CATEGORY_PROFILES: dict[str, tuple[float, float, float, float, float]] = {
    "hangkonggang": (40, 22, 15, 8, 15),
    "jingkai": (45, 20, 12, 8, 15),
    "gaoxin": (42, 18, 12, 10, 18),
    "zhengdong": (10, 25, 25, 15, 25),
    "jinshui": (8, 25, 30, 17, 20),
    "zhongyuan": (20, 28, 25, 12, 15),
    "erqi": (20, 28, 25, 12, 15),
    "guancheng": (18, 28, 25, 12, 17),
    "huiji": (15, 30, 25, 12, 18),
    "shangjie": (45, 25, 10, 10, 10),
    "zhongmou": (35, 25, 15, 10, 15),
    "gongyi": (40, 25, 10, 12, 13),
    "xingyang": (38, 25, 12, 12, 13),
    "xinmi": (40, 25, 10, 12, 13),
    "xinzheng": (35, 25, 15, 12, 13),
    "dengfeng": (30, 25, 10, 15, 20),
}
DEFAULT_CATEGORY_PROFILE = (30, 25, 15, 15, 15)
CATEGORY_ORDER = ("industrial", "infrastructure", "real_estate", "social", "other")

#: unit code → leading industries it specialises in (weights)
INDUSTRY_PROFILES: dict[str, dict[str, float]] = {
    "hangkonggang": {"electronic_information": 6, "biomedicine": 2, "automobile_equipment": 2, "new_materials": 1},
    "jingkai": {"automobile_equipment": 6, "electronic_information": 2, "modern_food": 1, "biomedicine": 2},
    "gaoxin": {"electronic_information": 6, "new_materials": 2, "biomedicine": 2, "automobile_equipment": 1},
    "shangjie": {"aluminium_processing": 6, "new_materials": 2, "automobile_equipment": 2},
    "gongyi": {"aluminium_processing": 5, "new_materials": 4, "automobile_equipment": 1},
    "xinzheng": {"modern_food": 5, "biomedicine": 3, "electronic_information": 1, "automobile_equipment": 1},
    "zhongmou": {"automobile_equipment": 6, "modern_food": 3, "new_materials": 1},
    "xingyang": {"automobile_equipment": 3, "new_materials": 3, "modern_food": 1, "aluminium_processing": 1},
    "xinmi": {"new_materials": 6, "biomedicine": 2, "modern_food": 1},
    "dengfeng": {"new_materials": 5, "aluminium_processing": 2, "modern_food": 1},
}

# --- industry words ----------------------------------------------------------------------

#: leading industry → (products, company word, 2-digit national industry codes)
INDUSTRY_PRODUCTS: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    "electronic_information": (
        ("智能终端", "智能传感器", "半导体封装测试", "新型显示面板", "5G通信模组", "服务器", "光电子器件", "集成电路",
         "锂电池隔膜", "工业机器人控制器"),
        "电子科技", ("39",),
    ),
    "automobile_equipment": (
        ("新能源商用车", "新能源乘用车", "动力电池", "汽车零部件", "智能网联汽车", "盾构装备", "工程机械", "电机电控",
         "氢燃料电池系统", "充换电设备"),
        "汽车装备", ("36", "35", "34"),
    ),
    "new_materials": (
        ("超硬材料", "高性能耐火材料", "碳纤维复合材料", "电子级化学品", "新型建材", "石墨烯材料", "特种陶瓷",
         "金刚石线锯", "聚酰亚胺薄膜"),
        "新材料", ("30", "26", "29"),
    ),
    "modern_food": (
        ("速冻食品", "休闲食品", "冷链食品", "乳制品", "中央厨房", "功能饮料", "调味品", "烘焙食品"),
        "食品", ("14", "13", "15"),
    ),
    "biomedicine": (
        ("体外诊断试剂", "生物制药", "医疗器械", "疫苗", "中成药", "原料药", "医用耗材", "基因检测试剂"),
        "生物科技", ("27", "35"),
    ),
    "aluminium_processing": (
        ("高端铝板带箔", "铝合金型材", "航空铝材", "再生铝", "铝精深加工", "电池铝箔", "汽车轻量化铝部件"),
        "铝业", ("32",),
    ),
}
GENERIC_PRODUCTS: tuple[tuple[str, ...], str, tuple[str, ...]] = (
    ("智能装备", "绿色包装材料", "高端服装", "定制家居", "数码印刷", "节能环保设备", "精密机械零部件", "电线电缆",
     "建筑钢结构", "纸制品"),
    "实业", ("33", "34", "38", "22", "18", "21"),
)

BRAND_A = tuple("华中豫嵩恒瑞鑫泰德兴鸿宏博信联达盛天金宇安康正晟润通汇凯昊锦佳睿弘明远航智元星辰源和丰银海东方")
BRAND_B = tuple("华瑞泰达鑫盛源通宏德信恒兴联博康诚越辉晟凯祥泽邦启安锦鼎立新尚弘科力达远")
COMPANY_SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司")
RE_BRANDS = ("锦程", "嵩景", "融汇", "中原华府", "豫发", "天泽", "鸿昌", "正源", "泰禾园", "金域", "和昌", "康庭")
ESTATE_A = tuple("云悦天翰观锦御雍璟澜书铂嘉璞星沐溪澄熙樾")
ESTATE_B = ("府", "苑", "园", "庭", "湾", "郡", "邸", "里", "公馆", "华庭", "雅居", "花园", "家园", "学府")
LABS = ("智能制造", "新材料", "生物医药", "现代农业", "信息安全", "超硬材料", "先进计算", "氢能", "智能传感", "黄河生态")
UNIVERSITIES = ("中原理工大学", "河南科技学院", "郑州城市职业学院", "嵩山实验室", "黄河科技研究院", "中原工程技术研究院")
PARK_NAMES = ("中央", "滨河", "市民", "体育", "文化", "植物", "湿地", "森林", "口袋", "运河")
SCENIC = ("黄河", "嵩山", "伏羲山", "浮戏山", "雁鸣湖", "樱桃沟", "环翠峪", "始祖山", "古柏渡", "石淙河")

# --- people --------------------------------------------------------------------------------

SURNAMES = tuple("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
GIVEN_CHARS = tuple("伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳妮宝贝初程梵罡恒鸿桦骅剑娇纪宽苛灵玛媚琪晴容睿烁堂唯威韦雯苇萱阅彦宇雨洋忠宗曼紫逸贤蝶菡绿蓝儿翠烟")

#: The responsible city leaders shown on key projects (fictional).
CITY_LEADERS = (
    "陈国平（常务副市长）",
    "王志强（副市长）",
    "李建华（副市长）",
    "张卫东（副市长）",
    "刘明远（副市长）",
    "杨振宇（副市长）",
    "周立新（副市长）",
    "赵新民（市长助理）",
)
#: category → indexes into CITY_LEADERS of the leaders in charge of it
LEADERS_BY_CATEGORY = {
    "industrial": (1, 0),
    "infrastructure": (2, 0),
    "real_estate": (3,),
    "social": (4,),
    "other": (7, 6),
    "reconstruction": (5, 2),
}

#: Fixed names of the demo's named accounts; other accounts get generated names.
ACCOUNT_NAMES = {
    "fgw": "赵文博",
    "leader": "陈国平",
    "sysadmin": "孙立军",
    "secadmin": "周雅琴",
    "auditor": "吴建国",
    "dcs": "郑晓燕",
}

CANCEL_REASONS = (
    "项目单位投资计划调整，暂缓实施",
    "规划调整，项目选址变更",
    "与其他项目合并实施",
    "企业经营困难，项目终止",
    "用地条件不具备，项目退出储备",
)
GREEN_CHANNEL_REASONS = (
    "灾后恢复重建项目，按“急事急办、特事特办”开辟审批绿色通道，手续容缺后补",
    "防汛度汛急需，经市重建办同意先行开工，审批手续并联办理",
    "受灾群众安置急需，纳入绿色通道，施工许可容缺办理",
)


# --- subjects: what a project is ---------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """One kind of project: how it is named and described, and what it implies.

    Name patterns and ``content`` are ``str.format`` templates over the fillers of
    :class:`tuijin.demo.generate.Words` (place, road, brand, product, river, village,
    floor, km, homes, beds …). ``industry`` are 2-digit national industry codes
    (GB/T 4754 divisions) for the project code; ``departments`` the responsible city
    departments (the first always, the second sometimes).
    """

    key: str
    category: str
    fields: tuple[tuple[str, float], ...]
    patterns: tuple[str, ...]
    industry: tuple[str, ...]
    departments: tuple[str, ...]
    content: str
    weight: float = 1.0
    government_share: float = 0.0
    natures: tuple[tuple[str, float], ...] = (("new", 1.0),)
    size: tuple[float, float] = (4.4, 0.5)  # log10 of total investment (万元): mean, sd
    reconstruction_kind: str = ""
    owners: tuple[str, ...] = ()  # government owner templates, see GOVERNMENT_OWNERS
    uses_product: bool = False
    cost_per_km: int = 9000  # 万元 per kilometre, for lengths in descriptions


MANUFACTURING_CONTENT = (
    "项目占地约{area}亩，总建筑面积约{floor}万平方米，主要建设生产厂房、研发中心及配套设施，"
    "购置{product}生产及检测设备{equipment}台（套），建成后形成年产{product}{output}的生产能力。"
)

SUBJECTS: tuple[Subject, ...] = (
    # industrial
    Subject("ind_new", "industrial", (("advanced_manufacturing", 1.0),),
            ("{brand}{product}生产基地项目", "{brand}年产{capacity}{product}项目", "{place}{product}产业园{phase}项目",
             "{brand}{product}智能制造项目"),
            (), ("gxj",), MANUFACTURING_CONTENT, weight=5, size=(4.6, 0.5), uses_product=True),
    Subject("ind_expansion", "industrial", (("advanced_manufacturing", 1.0),),
            ("{brand}{product}扩产项目", "{brand}{product}生产线扩建项目", "{brand}{product}{phase}扩能项目"),
            (), ("gxj",), MANUFACTURING_CONTENT, weight=2, natures=(("expansion", 1.0),), size=(4.3, 0.45),
            uses_product=True),
    Subject("ind_renovation", "industrial", (("advanced_manufacturing", 1.0),),
            ("{brand}{product}智能化技术改造项目", "{brand}{product}生产线绿色化改造项目", "{brand}数字化车间改造项目"),
            (), ("gxj",),
            "对现有{product}生产线实施智能化、绿色化改造，新购置自动化生产及检测设备{equipment}台（套），"
            "建设数字化车间和能源管理系统。",
            weight=2.5, natures=(("renovation", 1.0),), size=(3.9, 0.4), uses_product=True),
    Subject("ind_park", "industrial", (("advanced_manufacturing", 1.0),),
            ("{place}{product}产业园标准化厂房项目", "{place}智能制造产业园{phase}项目", "{place}中小企业创业园项目"),
            ("48", "47"), ("gxj", "zrj"),
            "项目占地约{area}亩，建设标准化厂房、研发办公楼及道路、给排水、供电等配套设施，总建筑面积约{floor}万平方米。",
            weight=1.2, government_share=0.5, size=(4.7, 0.4), owners=("platform",), uses_product=True),
    Subject("ind_rd", "industrial", (("innovation", 1.0),),
            ("{brand}{product}研发中心项目", "{brand}{product}中试基地项目", "{brand}{product}技术创新中心项目"),
            ("73",), ("gxj",),
            "建设研发实验楼、中试车间及配套用房约{floor}万平方米，购置研发及中试设备{equipment}台（套）。",
            weight=1.3, size=(4.1, 0.45), uses_product=True),
    # infrastructure
    Subject("road", "infrastructure", (("major_infrastructure", 0.5), ("new_urbanisation", 0.5)),
            ("{road}（{road2}—{road3}）道路工程", "{place}片区市政道路{phase}工程", "{road}提升改造工程",
             "{road}快速化改造工程"),
            ("48",), ("cjj", "jtj"),
            "道路全长约{km}公里，红线宽度{width}米，主要建设道路、桥涵、排水、照明、绿化及交通设施等工程。",
            weight=5, government_share=0.95, natures=(("new", 0.6), ("renovation", 0.4)), size=(4.4, 0.5),
            owners=("platform", "organ_jianshe")),
    Subject("highway", "infrastructure", (("major_infrastructure", 1.0),),
            ("{place}至{place2}快速通道工程", "{unit}{road}公路改建工程", "{place}互通立交工程"),
            ("48",), ("jtj",),
            "路线全长约{km}公里，按一级公路（双向六车道）标准建设，设计速度80公里/小时，含桥梁{n_small}座。",
            weight=1.5, government_share=0.95, size=(4.9, 0.45), owners=("platform", "organ_jiaotong"),
            cost_per_km=15_000),
    Subject("water", "infrastructure", (("new_urbanisation", 0.6), ("ecology", 0.4)),
            ("{place}污水处理厂{phase}工程", "{place}供水管网改造工程", "{place}再生水利用工程", "{place}水厂扩建工程"),
            ("46",), ("cjj", "sthjj"),
            "新建（改造）处理规模{capacity_t}万吨/日，配套管网约{km}公里。",
            weight=2, government_share=0.85, natures=(("new", 0.6), ("expansion", 0.4)), size=(4.3, 0.45),
            owners=("platform_water",)),
    Subject("utility", "infrastructure", (("new_urbanisation", 1.0),),
            ("{place}综合管廊工程", "{place}燃气管网改造工程", "{place}集中供热管网工程", "{place}片区海绵城市建设项目"),
            ("45", "44", "48"), ("cjj", "cgj"),
            "建设管线约{km}公里，配套建设监控中心及附属设施。",
            weight=2, government_share=0.8, natures=(("new", 0.6), ("renovation", 0.4)), size=(4.4, 0.45),
            owners=("platform",)),
    Subject("park", "infrastructure", (("ecology", 1.0),),
            ("{place}{park}公园建设项目", "{river}（{place}段）生态廊道工程", "{place}湿地公园项目"),
            ("78",), ("ylj",),
            "建设面积约{area}亩，主要建设园路、景观绿化、海绵设施、服务驿站及配套设施。",
            weight=1.5, government_share=0.95, size=(4.0, 0.45), owners=("platform", "organ_jianshe")),
    Subject("river", "infrastructure", (("ecology", 1.0),),
            ("{river}（{place}段）综合治理工程", "{river}水环境综合整治工程", "{place}水系连通工程"),
            ("76",), ("sthjj", "cjj"),
            "治理河道长约{km}公里，主要建设河道清淤、堤防加固、截污管网、生态护岸及景观绿化。",
            weight=1.2, government_share=1.0, size=(4.6, 0.5), owners=("organ_shuili", "platform_water")),
    Subject("new_infra", "infrastructure", (("new_infrastructure", 1.0),),
            ("{place}5G基站建设项目", "{brand}数据中心项目", "{place}新能源汽车充电基础设施项目", "{unit}智慧城市建设项目",
             "{brand}工业互联网平台项目"),
            ("63", "64", "65", "44"), ("fgw", "gxj"),
            "建设机房、基站及配套设施，部署服务器机柜{equipment}个（台），建设运营管理平台。",
            weight=2, government_share=0.35, size=(4.3, 0.55), owners=("platform",)),
    Subject("transit", "infrastructure", (("major_infrastructure", 1.0),),
            ("{place}公交首末站及停车场项目", "{place}综合交通枢纽项目", "{place}智慧停车场项目"),
            ("54", "48"), ("jtj", "cjj"),
            "建设公交首末站、停车位{n}个及配套用房约{floor}万平方米。",
            weight=1, government_share=0.8, size=(3.9, 0.4), owners=("platform",)),
    Subject("renewal", "infrastructure", (("new_urbanisation", 1.0),),
            ("{place}老旧小区改造项目", "{place}片区城市更新项目", "{place}背街小巷提升改造工程"),
            ("47", "48"), ("cjj", "zfbzj"),
            "改造小区{n_small}个，主要实施管网改造、外墙保温、加装电梯、道路硬化及公共服务设施完善。",
            weight=2, government_share=0.95, natures=(("renovation", 1.0),), size=(3.9, 0.4),
            owners=("platform", "organ_jianshe")),
    Subject("environment", "infrastructure", (("ecology", 1.0),),
            ("{place}垃圾焚烧发电项目", "{place}建筑垃圾资源化利用项目", "{place}餐厨垃圾处理项目"),
            ("77", "44"), ("cgj", "sthjj"),
            "设计处理规模{capacity_t}千吨/日，建设主厂房、处理车间及配套设施。",
            weight=0.8, government_share=0.5, size=(4.5, 0.35), owners=("platform",)),
    # real estate
    Subject("housing", "real_estate", (("new_urbanisation", 1.0),),
            ("{re_brand}·{estate}项目", "{re_brand}{place}{estate}项目", "{place}{estate}住宅项目"),
            ("70",), ("zfbzj",),
            "项目占地约{area}亩，总建筑面积约{floor}万平方米，主要建设住宅、商业及地下车库等配套设施。",
            weight=5, size=(5.0, 0.35)),
    Subject("resettlement", "real_estate", (("new_urbanisation", 1.0),),
            ("{place}{village}棚户区改造安置房项目", "{village}安置区{phase}项目", "{place}合村并城安置区项目"),
            ("70",), ("zfbzj",),
            "建设安置住房{homes}套，总建筑面积约{floor}万平方米，配套建设幼儿园、社区服务中心等。",
            weight=2.5, government_share=0.6, size=(4.9, 0.35), owners=("platform",)),
    Subject("rental", "real_estate", (("new_urbanisation", 1.0),),
            ("{place}保障性租赁住房项目", "{brand}人才公寓项目"),
            ("70",), ("zfbzj",),
            "建设保障性租赁住房{homes}套，总建筑面积约{floor}万平方米。",
            weight=1, government_share=0.5, size=(4.6, 0.35), owners=("platform",)),
    # social
    Subject("hospital", "social", (("livelihood", 1.0),),
            ("{unit}人民医院新院区建设项目", "{place}社区卫生服务中心项目", "{unit}中医院门诊综合楼项目", "{unit}妇幼保健院迁建项目"),
            ("84",), ("wjw",),
            "新增床位{beds}张，建设门急诊楼、医技楼、住院楼及配套设施，总建筑面积约{floor}万平方米。",
            weight=2, government_share=0.9, size=(4.3, 0.5), owners=("institution_hospital",)),
    Subject("school", "social", (("livelihood", 1.0),),
            ("{place}第{n_small}中学建设项目", "{place}小学新建工程", "{place}第{n_small}幼儿园项目", "{unit}职业教育中心项目"),
            ("83",), ("fgw", "rsj"),
            "规划办学规模{classes}个班，建设教学楼、实验楼、风雨操场及配套设施，总建筑面积约{floor}万平方米。",
            weight=3, government_share=0.9, size=(3.9, 0.4), owners=("organ_jiaoyu",)),
    Subject("elderly", "social", (("livelihood", 1.0),),
            ("{unit}养老服务中心项目", "{place}康养中心项目", "{place}社区嵌入式养老服务设施项目"),
            ("85",), ("wjw",),
            "设置养老床位{beds}张，建设护理楼、康复中心及配套设施。",
            weight=1, government_share=0.6, size=(3.7, 0.4), owners=("platform",)),
    Subject("culture", "social", (("livelihood", 1.0),),
            ("{place}全民健身中心项目", "{unit}文化艺术中心项目", "{place}图书馆项目", "{place}体育公园项目"),
            ("88", "89"), ("fgw",),
            "建设场馆及配套用房约{floor}万平方米，配套建设室外运动场地和停车场。",
            weight=1, government_share=0.9, size=(4.0, 0.45), owners=("platform",)),
    Subject("research", "social", (("innovation", 1.0),),
            ("{place}{lab}实验室建设项目", "{university}郑州研究院项目", "{lab}产业技术研究院项目"),
            ("73",), ("fgw", "gxj"),
            "建设实验研发楼及配套用房约{floor}万平方米，购置科研仪器设备{equipment}台（套）。",
            weight=0.8, government_share=0.7, size=(4.5, 0.45), owners=("platform",)),
    # other: modern services, agriculture, tourism
    Subject("commercial", "other", (("modern_services", 1.0),),
            ("{brand}商业综合体项目", "{place}{brand}广场项目", "{brand}总部大楼项目", "{brand}国际酒店项目"),
            ("72", "52", "61"), ("swj",),
            "总建筑面积约{floor}万平方米，主要建设商业、办公、酒店及配套设施。",
            weight=3, size=(4.8, 0.4)),
    Subject("logistics", "other", (("modern_services", 1.0),),
            ("{place}冷链物流园项目", "{brand}智慧物流园项目", "{place}电商产业园项目", "{brand}供应链分拨中心项目"),
            ("59", "58", "51"), ("swj",),
            "项目占地约{area}亩，建设仓储库房、分拣中心、冷库及配套设施，总建筑面积约{floor}万平方米。",
            weight=2.5, size=(4.5, 0.4)),
    Subject("tourism", "other", (("modern_services", 1.0),),
            ("{place}文旅小镇项目", "{scenic}景区提升项目", "{place}{scenic}康养旅游项目"),
            ("90", "78", "61"), ("fgw", "swj"),
            "建设游客服务中心、景观节点、民宿及配套设施，提升景区道路和公共服务设施。",
            weight=1.3, government_share=0.3, size=(4.3, 0.5)),
    Subject("tech_services", "other", (("innovation", 1.0),),
            ("{brand}软件园项目", "{place}科技企业孵化器项目", "{brand}数字经济产业园项目"),
            ("65", "75"), ("gxj",),
            "建设研发办公楼及配套设施约{floor}万平方米，打造科技企业孵化及公共服务平台。",
            weight=1.3, size=(4.4, 0.45)),
    Subject("agriculture", "other", (("ecology", 0.4), ("livelihood", 0.6)),
            ("{place}高标准农田建设项目", "{place}现代农业产业园项目", "{place}田园综合体项目"),
            ("01", "05"), ("fgw",),
            "建设面积约{area}亩，实施土地平整、灌溉排水、田间道路、农田防护及智慧农业设施建设。",
            weight=1, government_share=0.6, size=(3.8, 0.4), owners=("platform",)),
    # post-flood reconstruction (二(二)7)
    Subject("rc_reservoir", "infrastructure", (("ecology", 1.0),),
            ("{reservoir}水库除险加固工程", "{place}{reservoir}水库“一库一案”整治工程"),
            ("76",), ("cjb",),
            "对大坝、溢洪道、放水设施进行除险加固，完善防汛道路、雨水情测报和安全监测设施。",
            size=(3.6, 0.35), reconstruction_kind="reservoir", government_share=1.0, owners=("organ_shuili",)),
    Subject("rc_river", "infrastructure", (("ecology", 1.0),),
            ("{river}（{place}段）防洪能力提升工程", "{place}{village}段河道治理工程"),
            ("76",), ("cjb", "sthjj"),
            "治理河道长约{km}公里，实施河道清淤疏浚、堤防加高加固、护岸及穿堤建筑物改造。",
            size=(4.2, 0.45), reconstruction_kind="river", government_share=1.0, owners=("organ_shuili",)),
    Subject("rc_transport", "infrastructure", (("major_infrastructure", 1.0),),
            ("{road}灾毁道路修复工程", "{place}{village}桥灾后重建工程", "{place}农村公路灾毁修复工程"),
            ("48",), ("cjb", "jtj"),
            "修复灾毁路基路面约{km}公里，重建桥涵{n_small}座，完善排水及安全防护设施。",
            size=(3.7, 0.45), reconstruction_kind="transport", government_share=1.0, owners=("organ_jiaotong",)),
    Subject("rc_housing", "social", (("livelihood", 1.0),),
            ("{place}{village}受灾房屋修缮加固项目", "{place}受灾农房重建项目", "{village}受灾群众安置房项目"),
            ("47",), ("cjb", "zfbzj"),
            "对受灾房屋{households}户实施修缮加固或原址重建，配套完善排水、道路等基础设施。",
            size=(3.4, 0.4), reconstruction_kind="housing", government_share=1.0, owners=("organ_jianshe",)),
    Subject("rc_municipal", "infrastructure", (("new_urbanisation", 1.0),),
            ("{place}排水管网灾后修复工程", "{place}地下空间防汛排涝改造工程", "{road}下穿隧道排涝改造工程", "{place}易涝点整治工程"),
            ("48", "78"), ("cjb", "cjj"),
            "新建（改造）雨水管网约{km}公里，建设排涝泵站{n_small}座，完善积水点监测预警设施。",
            size=(3.8, 0.45), reconstruction_kind="municipal", government_share=1.0, owners=("platform", "organ_jianshe")),
    Subject("rc_other", "social", (("livelihood", 1.0),),
            ("{place}中心学校灾后修缮项目", "{place}第{n_small}小学灾后修缮加固项目", "{place}中学校舍灾后重建项目"),
            ("83",), ("cjb",),
            "对受损校舍实施修缮加固或拆除重建，配套完善校园排水及防汛设施。",
            size=(3.3, 0.4), reconstruction_kind="other", government_share=1.0, owners=("organ_jiaoyu",)),
)

#: reconstruction kind → weight among the reconstruction projects (reservoirs are counted by the plan)
RECONSTRUCTION_KIND_WEIGHTS = {"river": 12, "transport": 22, "housing": 32, "municipal": 22, "other": 12}

#: government owner kind → (name template, USCC registration prefix: 11 organ, 12 institution, 91 company)
GOVERNMENT_OWNERS: dict[str, tuple[str, str]] = {
    "platform": ("{unit}城市建设投资有限公司", "91"),
    "platform_water": ("{unit}水务发展有限公司", "91"),
    "organ_jianshe": ("{unit_full}住房和城乡建设局", "11"),
    "organ_jiaotong": ("{unit_full}交通运输局", "11"),
    "organ_shuili": ("{unit_full}水利局", "11"),
    "organ_jiaoyu": ("{unit_full}教育局", "11"),
    "institution_hospital": ("{unit}人民医院", "12"),
    "platform_rail": ("郑州市城市轨道交通投资建设有限公司", "91"),
}

#: Subjects used only by the seed's named projects (weight 0: never picked at random).
FLAGSHIP_SUBJECTS: tuple[Subject, ...] = (
    Subject("rail", "infrastructure", (("major_infrastructure", 1.0),), (), ("54", "53"), ("cjj", "jtj"),
            "线路全长约{km}公里，设车站{stations}座，主要建设土建、轨道、机电设备系统及车辆基地等。",
            weight=0, government_share=1.0, size=(6.0, 0.2), owners=("platform_rail",), cost_per_km=75_000),
)

#: leading industry → unit of annual capacity in names ("年产20万台智能终端项目")
CAPACITY_UNITS = {
    "electronic_information": "万台",
    "automobile_equipment": "万套",
    "new_materials": "万吨",
    "modern_food": "万吨",
    "biomedicine": "万盒",
    "aluminium_processing": "万吨",
}


@dataclass(frozen=True)
class Flagship:
    """A project the seed names (二(一)2–3, 二(二)7–8, 二(五)13), placed in a plausible unit."""

    name: str
    unit: str
    subject: str
    field: str
    total_wan: int
    stage: str
    tags: tuple[str, ...]
    industry: str
    investment_type: str = "government"
    leading_industry: str = ""
    product: str = ""


FLAGSHIPS: tuple[Flagship, ...] = (
    Flagship("郑州地铁6号线一期工程", "zhongyuan", "rail", "major_infrastructure", 2_960_000, "construction",
             ("provincial_key",), "54"),
    Flagship("郑州地铁城郊线二期工程", "hangkonggang", "rail", "major_infrastructure", 820_000, "construction",
             ("provincial_key",), "54"),
    Flagship("郑州地铁3号线二期工程", "jingkai", "rail", "major_infrastructure", 980_000, "construction",
             ("provincial_key",), "54"),
    Flagship("郑州机场至许昌市域铁路郑州段工程", "hangkonggang", "rail", "major_infrastructure", 1_450_000,
             "construction", ("provincial_key",), "54"),
    Flagship("郑州地铁7号线一期工程", "erqi", "rail", "major_infrastructure", 2_550_000, "construction",
             ("provincial_key",), "54"),
    Flagship("郑洛城际铁路郑州段工程", "xingyang", "rail", "major_infrastructure", 1_200_000, "construction",
             ("provincial_key",), "53"),
    Flagship("郑州轨道交通12号线一期工程", "zhengdong", "rail", "major_infrastructure", 1_180_000, "construction",
             ("provincial_key", "special_bond"), "54"),
    Flagship("农业路西延快速化工程", "zhongyuan", "road", "major_infrastructure", 420_000, "ready", ("city_key",), "48"),
    Flagship("紫荆山路—长江路组合立交工程", "guancheng", "road", "major_infrastructure", 180_000, "ready",
             ("city_key",), "48"),
    Flagship("郑州火车站东西广场地下人行通道工程", "erqi", "road", "new_urbanisation", 65_000, "ready",
             ("city_key",), "48"),
    Flagship("国道107郑州境东移改建三期工程", "xinzheng", "highway", "major_infrastructure", 650_000, "ready",
             ("provincial_key",), "48"),
    Flagship("省道541线改建工程", "gongyi", "highway", "major_infrastructure", 230_000, "ready", ("city_key",), "48"),
    Flagship("马寨产业园基础设施建设项目", "erqi", "ind_park", "advanced_manufacturing", 120_000, "construction",
             ("city_key", "special_bond"), "48"),
    Flagship("郑州黄河智谷中原企业总部港项目", "huiji", "commercial", "modern_services", 600_000, "construction",
             ("provincial_key", "whitelist"), "72", investment_type="enterprise"),
    Flagship("郑州南站枢纽工程", "hangkonggang", "rail", "major_infrastructure", 900_000, "construction",
             ("provincial_key", "whitelist"), "53"),
    Flagship("金水河综合整治工程", "jinshui", "river", "ecology", 350_000, "construction",
             ("city_key", "land_support"), "76"),
    Flagship("贾鲁河防洪能力提升工程", "zhongmou", "rc_river", "ecology", 260_000, "construction",
             ("city_key", "reconstruction"), "76"),
    Flagship("金水河防洪能力提升工程", "erqi", "rc_river", "ecology", 90_000, "construction",
             ("city_key", "reconstruction"), "76"),
    Flagship("七里河防洪能力提升工程", "jingkai", "rc_river", "ecology", 120_000, "construction",
             ("city_key", "reconstruction"), "76"),
    Flagship("南水北调左岸截流及分洪工程", "zhongyuan", "rc_river", "ecology", 150_000, "construction",
             ("city_key", "reconstruction"), "76"),
    Flagship("兴港新能源产业园项目", "hangkonggang", "ind_new", "advanced_manufacturing", 800_000, "construction",
             ("provincial_key",), "36", "enterprise", "automobile_equipment", "动力电池"),
    Flagship("中国（郑州）智能传感谷启动区项目", "gaoxin", "ind_park", "innovation", 350_000, "construction",
             ("provincial_key",), "39", "government", "electronic_information", "智能传感器"),
    Flagship("安图生物郑州德迈药业产业园项目", "jingkai", "ind_new", "advanced_manufacturing", 300_000,
             "construction", ("provincial_key",), "27", "enterprise", "biomedicine", "体外诊断试剂"),
    Flagship("宇通新能源商用车生产基地项目", "jingkai", "ind_new", "advanced_manufacturing", 500_000, "construction",
             ("provincial_key",), "36", "enterprise", "automobile_equipment", "新能源商用车"),
)
