"""The words of the printed forms (MAN Annexes 2–7), in the languages people sign in: English (the
manual's own words) and Russian. Kyrgyz is not offered yet: no approved Kyrgyz text of the annexes
exists to print (a form in a language is printed only from its approved text)."""

from collections.abc import Mapping
from enum import StrEnum

from app import translations


class Language(StrEnum):
    EN = "en"
    RU = "ru"


SHELTER_RULES: Mapping[Language, tuple[str, ...]] = {
    Language.EN: (
        "Treat the other residents and staff with respect and courtesy.",
        "Accept and undertake to fulfill domestic tasks assigned by shelter staff.",
        "Keep your own sleeping space at the shelter tidy and clean.",
        "Respect the property and resources of the shelter and use them properly and responsibly.",
        "The shelter is not responsible for any personal items not given to the staff for "
        "safe-keeping.",
        "Observe the shelter schedule, including waking and sleeping hours (lights-out).",
        "Permission must be obtained from shelter staff before leaving and when entering the "
        "shelter.",
        "All recommended treatment by physicians, psychologist and shelter staff is to be "
        "followed.",
        "Medication must be taken in accordance with the dosage and at the times prescribed.",
        "All shelter residents must observe strict personal hygiene.",
        "No shouting or loud noises are allowed at the shelter.",
        "Smoking inside the shelter is not allowed.",
        "Off-limit areas at the shelter (e.g., staff office, medical examination room) may not be "
        "entered without the express permission of the staff.",
    ),
    Language.RU: (
        "Относиться к другим проживающим и к персоналу с уважением и вежливостью.",
        "Принимать и выполнять бытовые поручения, данные персоналом приюта.",
        "Содержать своё спальное место в приюте в порядке и чистоте.",
        "Бережно относиться к имуществу и ресурсам приюта и пользоваться ими правильно и "
        "ответственно.",
        "Приют не отвечает за личные вещи, не переданные персоналу на хранение.",
        "Соблюдать распорядок дня приюта, включая часы подъёма и отбоя.",
        "Перед выходом из приюта и при входе в него необходимо получить разрешение персонала.",
        "Следовать всем рекомендациям врачей, психолога и персонала приюта по лечению.",
        "Принимать лекарства в предписанной дозировке и в назначенное время.",
        "Все проживающие в приюте должны строго соблюдать личную гигиену.",
        "В приюте не допускаются крики и громкий шум.",
        "Курение в помещениях приюта запрещено.",
        "В служебные помещения приюта (например, кабинет персонала, медицинский кабинет) нельзя "
        "входить без прямого разрешения персонала.",
    ),
}

RESIDENTS_RIGHTS: Mapping[Language, tuple[str, ...]] = {
    Language.EN: (
        "To be treated with dignity and respect;",
        "Confidentiality;",
        "Respect for privacy;",
        "Self-determination in identifying and setting service goals and plans;",
        "To be treated with cultural sensitivity;",
        "To receive services based on full and informed consent;",
        "To be clearly informed in a language understood by the resident regarding the purpose "
        "of the services offered and administered;",
        "Reasonable access to personal records.",
    ),
    Language.RU: (
        "На достойное и уважительное отношение;",
        "На конфиденциальность;",
        "На уважение частной жизни;",
        "На самостоятельное определение целей и планов получаемых услуг;",
        "На отношение с учётом культурных особенностей;",
        "На получение услуг на основе полного и информированного согласия;",
        "На ясное информирование на понятном проживающему языке о цели предлагаемых и "
        "оказываемых услуг;",
        "На разумный доступ к своим личным документам.",
    ),
}

CONFIDENTIALITY: Mapping[Language, tuple[str, ...]] = {
    Language.EN: (
        "I understand the importance of maintaining confidentiality in order to protect the "
        "safety of the shelter, its residents and the shelter staff.",
        "I am required to keep a resident's information confidential, and will not disclose "
        "personal information without the permission of the resident or my supervisor in case of "
        "an emergency.",
        "I will not discuss resident or shelter operational matters with the media unless I "
        "request and receive express permission from my supervisor regarding the nature, purpose "
        "and limits of any communication with the press.",
        "I will not discuss resident matters in public areas.",
        "I will keep the location of the shelter confidential.",
        "I will not discuss matters related to staff or operation of the shelter in public areas.",
        "I will direct any questions or concerns regarding confidentiality to my immediate "
        "supervisor.",
        "I understand that a willful violation of the confidentiality policy can entail "
        "disciplinary action against me, including suspension or termination of employment.",
    ),
    Language.RU: (
        "Я понимаю, насколько важно соблюдать конфиденциальность, чтобы защитить безопасность "
        "приюта, проживающих в нём и его персонала.",
        "Я обязан(а) сохранять в тайне сведения о проживающих и не буду разглашать личную "
        "информацию без разрешения проживающего или, в чрезвычайной ситуации, моего "
        "руководителя.",
        "Я не буду обсуждать с представителями СМИ дела проживающих или работу приюта, пока не "
        "запрошу и не получу прямого разрешения руководителя о характере, цели и пределах такого "
        "общения с прессой.",
        "Я не буду обсуждать дела проживающих в общественных местах.",
        "Я буду хранить в тайне местонахождение приюта.",
        "Я не буду обсуждать вопросы персонала и работы приюта в общественных местах.",
        "Все вопросы и сомнения о конфиденциальности я буду адресовать непосредственному "
        "руководителю.",
        "Я понимаю, что умышленное нарушение правил конфиденциальности может повлечь "
        "дисциплинарные меры в отношении меня, вплоть до отстранения или увольнения.",
    ),
}

# the grant lines as the forms name them (Annexes 5 and 6)
GRANT_LINES: Mapping[Language, Mapping[str, str]] = {
    Language.EN: {
        "medical_examination": "Initial medical examination",
        "clothes_summer": "Summer clothes / footwear",
        "clothes_winter": "Winter clothes / footwear",
        "underwear": "Underwear",
        "food_hygiene": "Food, personal hygiene goods",
        "travel": "Travel expenses",
        "lawyer": "Services of a lawyer",
        "vocational_training": "Vocational training: course fees",
        "equipment": "Cattle / poultry, working equipment and tools",
        "other": "Other assistance (justified)",
        "id_documents": "Restoration of personal identification documents",
        "scholarship": "Educational scholarship",
        "apartment_rental": "Apartment rental",
        "ngo_communication": "Services of the NGO: communication",
        "ngo_travel": "Services of the NGO: travel",
        "ngo_social_worker": "Services of the NGO: social worker",
    },
    Language.RU: {
        "medical_examination": "Первичное медицинское обследование",
        "clothes_summer": "Летняя одежда / обувь",
        "clothes_winter": "Зимняя одежда / обувь",
        "underwear": "Нижнее бельё",
        "food_hygiene": "Питание, средства личной гигиены",
        "travel": "Транспортные расходы",
        "lawyer": "Услуги адвоката",
        "vocational_training": "Профессиональное обучение: оплата курсов",
        "equipment": "Скот / птица, рабочее оборудование и инструменты",
        "other": "Другая помощь (с обоснованием)",
        "id_documents": "Восстановление документов, удостоверяющих личность",
        "scholarship": "Стипендия на обучение",
        "apartment_rental": "Аренда жилья",
        "ngo_communication": "Услуги НПО: связь",
        "ngo_travel": "Услуги НПО: транспорт",
        "ngo_social_worker": "Услуги НПО: социальный работник",
    },
}

# Annex 7's questions, in its order, by the report's field they are answered by
MONITORING_QUESTIONS: Mapping[Language, tuple[tuple[str, str], ...]] = {
    Language.EN: (
        ("marital_status", "Marital status"),
        ("children", "Children"),
        ("contact_duration", "1. How long have the contacts lasted with the shelter residents?"),
        ("last_meeting_on", "2. Last meeting date"),
        ("problems_after_return", "3. Which problems did the individual face after return home?"),
        ("employed", "4. Was the individual employed?"),
        ("pay", "5. If employed, was the job paid?"),
        ("threats_from_recruiters", "6. Were there any threats, pressure from recruiters after "
         "return home?"),
        ("turned_to", "8. If yes, who did the individual address for assistance?"),
        ("law_enforcement_contact", "9. Was there any contact with law enforcement authorities "
         "after return home?"),
        ("willing_to_cooperate", "10. Does the individual agree to cooperate with law "
         "enforcement authorities?"),
        ("plans", "11. Describe plans for future"),
        ("contact_attempts", "How contact was tried"),
    ),
    Language.RU: (
        ("marital_status", "Семейное положение"),
        ("children", "Дети"),
        ("contact_duration", "1. Как долго длились контакты с проживавшими в приюте?"),
        ("last_meeting_on", "2. Дата последней встречи"),
        ("problems_after_return", "3. С какими проблемами человек столкнулся после "
         "возвращения домой?"),
        ("employed", "4. Был ли человек трудоустроен?"),
        ("pay", "5. Если да, оплачивалась ли работа?"),
        ("threats_from_recruiters", "6. Были ли угрозы, давление со стороны вербовщиков после "
         "возвращения домой?"),
        ("turned_to", "8. Если да, к кому человек обратился за помощью?"),
        ("law_enforcement_contact", "9. Были ли контакты с правоохранительными органами после "
         "возвращения домой?"),
        ("willing_to_cooperate", "10. Согласен(на) ли человек сотрудничать с "
         "правоохранительными органами?"),
        ("plans", "11. Опишите планы на будущее"),
        ("contact_attempts", "Как пытались связаться"),
    ),
}  # fmt: skip
# the answers Annex 7 offers, by their stored values
CHOICES: Mapping[Language, Mapping[str, str]] = {
    Language.EN: {
        "single": "single", "married": "married", "cohabiting": "cohabiting",
        "divorced": "divorced", "widowed": "widowed",
        "regular": "regularly", "partial": "partial", "unpaid": "not paid",
    },
    Language.RU: {
        "single": "не состоит в браке", "married": "в браке", "cohabiting": "в гражданском браке",
        "divorced": "в разводе", "widowed": "вдовец / вдова",
        "regular": "регулярно", "partial": "частично", "unpaid": "не оплачивалась",
    },
}  # fmt: skip


# the labels of the forms
WORDS: Mapping[Language, Mapping[str, str]] = {
    Language.EN: {
        "rules_title": "Annex 2: General Shelter Rules",
        "rights_title": "Annex 3: Rights of Shelter Residents",
        "rights_intro": "All residents of this shelter enjoy the following rights:",
        "rights_outro": "If there is reason to believe that any of these rights were disregarded, "
        "a private meeting may be requested with the shelter manager who will promptly discuss "
        "such concerns.",
        "confidentiality_title": "Annex 4: Staff Confidentiality Agreement",
        "pink_title": "Annex 5: Financial agreement with the NGO for rehabilitation at shelter "
        "(pink form)",
        "blue_title": "Annex 6: Financial agreement with the NGO for rehabilitation (blue form)",
        "monitoring_title": "Annex 7: Monitoring implementation report",
        "agreement_no": "Financial agreement No.",
        "place": "Bishkek",
        "date": "Date",
        "resident": "Resident",
        "registration": "Registration number",
        "shelter": "Shelter",
        "resident_signature": "Signature of the shelter resident",
        "staff_signature": "Staff signature",
        "manager_signature": "Shelter manager signature",
        "staff_member": "Staff member",
        "agreement_parties": "The NGO {ngo}, represented by {ngo_rep}, and the Mission of the "
        "International Organization for Migration in the Kyrgyz Republic, represented by "
        "{mission_rep}, under {mou}, have agreed as follows:",
        "agreement_pink": "1) To recognize this client, registered as {registration}, as a "
        "victim of trafficking. 2) To provide the assistance below, from {start} to {end}.",
        "agreement_blue": "The NGO {ngo} provides the assistance required for the client "
        "registered as {registration}, recognized by the IOM as a victim of trafficking, and "
        "requests the IOM to grant the funds below, amounting to {total} soms, for the period "
        "from {start} to {end}.",
        "line": "Assistance",
        "amount": "Amount, soms",
        "total": "Total",
        "in_words": "Total (in writing)",
        "conduct": "Guidelines for Staff Standards of Conduct will apply for this Agreement.",
        "signed_copies": "Agreement signed in two copies.",
        "for_ngo": "On behalf of the NGO",
        "for_mission": "On behalf of the IOM Mission in the KR",
        "name": "Name",
        "signature": "Signature",
        "not_numbered": "(not numbered yet: the number is given at submission)",
        "not_named": "(to be named)",
        "social_worker": "Social worker",
        "general_data": "General data",
        "reintegration": "Reintegration",
        "reached": "The person was reached",
        "unreachable": "The person could not be reached. How contact was tried:",
        "reported_on": "Reported on",
        "notes": "For notes",
        "yes": "yes",
        "no": "no",
        "first_name": "First name",
        "last_name": "Last name",
        "birth_date": "Birth date",
        "page": "Page",
    },
    Language.RU: {
        "rules_title": "Приложение 2: Общие правила приюта",
        "rights_title": "Приложение 3: Права проживающих в приюте",
        "rights_intro": "Все проживающие в этом приюте имеют следующие права:",
        "rights_outro": "Если есть основания полагать, что какое-либо из этих прав было "
        "нарушено, можно попросить о личной встрече с руководителем приюта, который без "
        "промедления обсудит эти опасения.",
        "confidentiality_title": "Приложение 4: Соглашение персонала о конфиденциальности",
        "pink_title": "Приложение 5: Финансовое соглашение с НПО о реабилитации в приюте "
        "(розовая форма)",
        "blue_title": "Приложение 6: Финансовое соглашение с НПО о реабилитации (голубая форма)",
        "monitoring_title": "Приложение 7: Отчёт о мониторинге реинтеграции",
        "agreement_no": "Финансовое соглашение №",
        "place": "Бишкек",
        "date": "Дата",
        "resident": "Проживающий(ая)",
        "registration": "Регистрационный номер",
        "shelter": "Приют",
        "resident_signature": "Подпись проживающего(ей)",
        "staff_signature": "Подпись сотрудника",
        "manager_signature": "Подпись руководителя приюта",
        "staff_member": "Сотрудник",
        "agreement_parties": "НПО {ngo} в лице {ngo_rep} и Миссия Международной организации по "
        "миграции в Кыргызской Республике в лице {mission_rep}, на основании {mou}, договорились "
        "о следующем:",
        "agreement_pink": "1) Признать данного клиента, зарегистрированного под номером "
        "{registration}, жертвой торговли людьми. 2) Оказать помощь, указанную ниже, с {start} "
        "по {end}.",
        "agreement_blue": "НПО {ngo} оказывает необходимую помощь клиенту, зарегистрированному "
        "под номером {registration} и признанному МОМ жертвой торговли людьми, и просит МОМ "
        "выделить указанные ниже средства в размере {total} сомов на период с {start} по {end}.",
        "line": "Вид помощи",
        "amount": "Сумма, сомов",
        "total": "Итого",
        "in_words": "Итого (прописью)",
        "conduct": "К настоящему соглашению применяются Правила поведения персонала.",
        "signed_copies": "Соглашение подписано в двух экземплярах.",
        "for_ngo": "От имени НПО",
        "for_mission": "От имени Миссии МОМ в КР",
        "name": "Ф. И. О.",
        "signature": "Подпись",
        "not_numbered": "(номер ещё не присвоен: он даётся при подаче)",
        "not_named": "(не указан)",
        "social_worker": "Социальный работник",
        "general_data": "Общие сведения",
        "reintegration": "Реинтеграция",
        "reached": "Связь с человеком установлена",
        "unreachable": "Связаться с человеком не удалось. Как пытались связаться:",
        "reported_on": "Дата отчёта",
        "notes": "Для заметок",
        "yes": "да",
        "no": "нет",
        "first_name": "Имя",
        "last_name": "Фамилия",
        "birth_date": "Дата рождения",
        "page": "Страница",
    },
}


def preferred(accept_language: str) -> Language:
    """The language of a form from an ``Accept-Language`` header (``ru-RU,ru;q=0.9,en;q=0.8``
    → Russian); English when it asks for none of the forms' languages."""
    return Language(translations.preferred(accept_language, Language) or Language.EN)
