"""The entries the editable lists start with (English, Simplified Chinese)."""

CATEGORIES = [
    ("product_quality", "Product quality", "产品质量"),
    ("delivery", "Delivery and logistics", "配送与物流"),
    ("billing", "Billing and payment", "账单与付款"),
    ("service_attitude", "Staff attitude", "服务态度"),
    ("waiting_time", "Waiting time", "等待时间"),
    ("installation_repair", "Installation and repair", "安装与维修"),
    ("information", "Wrong or missing information", "信息错误或缺失"),
    ("other", "Other", "其他"),
]

ROOT_CAUSES = [
    ("defect", "Product defect", "产品缺陷"),
    ("process_gap", "Process gap", "流程缺失"),
    ("training", "Staff training", "员工培训不足"),
    ("communication", "Miscommunication", "沟通不畅"),
    ("supplier", "Supplier or partner", "供应商或合作方"),
    ("capacity", "Not enough capacity", "人手或产能不足"),
    ("system_error", "System error", "系统故障"),
    ("customer_expectation", "Expectation not set clearly", "未清楚说明预期"),
    ("other", "Other", "其他"),
]

DEPARTMENTS = [
    ("customer_service", "Customer service", "客户服务部"),
    ("sales", "Sales", "销售部"),
    ("logistics", "Logistics", "物流部"),
    ("technical_service", "Technical service", "技术服务部"),
    ("quality", "Quality", "质量部"),
    ("finance", "Finance", "财务部"),
    ("it", "IT", "信息技术部"),
]


GROUPS = ("staff", "supervisor", "manager")


def ensure_defaults(group_model, category_model, root_cause_model, department_model):
    """Create the role groups and seed the editable lists; existing entries are kept.

    Takes the models as arguments so the data migration can pass its historical ones.
    """
    for name in GROUPS:
        group_model.objects.get_or_create(name=name)
    for model, entries in (
        (category_model, CATEGORIES),
        (root_cause_model, ROOT_CAUSES),
        (department_model, DEPARTMENTS),
    ):
        for position, (code, label, label_zh) in enumerate(entries):
            model.objects.get_or_create(
                code=code, defaults={"label": label, "label_zh": label_zh, "position": position}
            )
