"""Name, place and phone pools for :mod:`vinculo.linkage.synthetic` (written for vinculo).

The lists are common public knowledge of frequent names in each culture, written out by hand for
this generator: given names per sex and family names, in the script the culture writes them in
(Cyrillic, Arabic, Vietnamese with its diacritics, Latin), with the Latin spellings agencies use
(Arabic names have no single romanisation, so each carries its usual variants; Cyrillic names are
romanised by the generator under several transliteration schemes). The order of each list is
roughly by frequency; the generator draws with Zipf-like weights. No entry describes a real person.
"""

from __future__ import annotations

# fmt: off

# --- Russian (Cyrillic) -------------------------------------------------------------------
RU_MALE = (
    "Александр Сергей Дмитрий Андрей Алексей Максим Евгений Иван Михаил Николай Владимир Артём "
    "Денис Роман Павел Игорь Олег Виктор Юрий Антон Константин Василий Вадим Илья Кирилл Григорий "
    "Анатолий Борис Виталий Геннадий Степан Фёдор Тимур Руслан Леонид Егор Ярослав Валерий Станислав Пётр"
).split()
RU_FEMALE = (
    "Елена Ольга Наталья Татьяна Ирина Анна Светлана Мария Екатерина Юлия Анастасия Людмила Галина "
    "Марина Надежда Валентина Дарья Ксения Алина Виктория Вера Любовь Лариса Оксана Полина Софья "
    "Александра Евгения Кристина Тамара Нина Алла Жанна Инна Яна Вероника Маргарита Раиса Зинаида Лидия"
).split()
RU_FAMILY = (
    "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков "
    "Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин "
    "Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов "
    "Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв "
    "Белов Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов "
    "Осипов Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов "
    "Гаврилов Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов "
    "Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев "
    "Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников "
    "Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин "
    "Ефремов Архипов Громов Кириллов Малышев Панов Моисеев Румянцев Акимов Кондратьев Бирюков "
    "Горбунов Анисимов Еремин Тихомиров Галкин Лукьянов Михеев Скворцов Юдин Белоусов Нестеров "
    "Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов Воронцов Аксёнов Софронов Мальцев "
    "Логинов Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов Плотников Демин Хохлов "
    "Фадеев Молчанов Игнатов Литвинов Ершов Ушаков Дементьев Рябов Мухин Калашников Леонтьев "
    "Лобанов Кузин Корнеев Евдокимов Бородин Платонов Некрасов Балашов Бобров Жданов Блинов Игнатьев "
    "Коротков Муравьёв Крюков Беляков Богомолов Дроздов Лавров Зуев Петухов Ларин Никулин Серов "
    "Терентьев Зотов Устинов Фокин Самойлов Константинов Сахаров Шишкин Самсонов Черкасов Чистяков "
    "Носов Спиридонов Карасёв Авдеев Воронов Зимин Мишин Белозёров Шубин Ковальчук Шевчук Мельник"
).split()
# Russian nicknames (diminutives an agency writes down instead of the passport name).
RU_NICK = {
    "Александр": ("Саша", "Шура"), "Александра": ("Саша",), "Алексей": ("Лёша", "Алёша"),
    "Дмитрий": ("Дима",), "Михаил": ("Миша",), "Николай": ("Коля",), "Сергей": ("Серёжа",),
    "Владимир": ("Володя", "Вова"), "Иван": ("Ваня",), "Евгений": ("Женя",), "Евгения": ("Женя",),
    "Анастасия": ("Настя",), "Екатерина": ("Катя",), "Елена": ("Лена",), "Мария": ("Маша",),
    "Наталья": ("Наташа",), "Ольга": ("Оля",), "Татьяна": ("Таня",), "Светлана": ("Света",),
    "Юлия": ("Юля",), "Анна": ("Аня",), "Ирина": ("Ира",), "Людмила": ("Люда",), "Дарья": ("Даша",),
    "Павел": ("Паша",), "Константин": ("Костя",), "Вячеслав": ("Слава",), "Григорий": ("Гриша",),
    "Пётр": ("Петя",), "Валентина": ("Валя",), "Надежда": ("Надя",), "Ксения": ("Ксюша",),
}

# --- Ukrainian (Cyrillic) -----------------------------------------------------------------
UK_MALE = (
    "Олександр Сергій Андрій Дмитро Володимир Олексій Микола Іван Юрій Василь Віктор Михайло Ігор "
    "Олег Максим Євген Богдан Тарас Роман Артем Денис Петро Віталій Степан Ярослав Павло Анатолій "
    "Вадим Руслан Назар Остап Тимофій Костянтин Леонід Федір Антон Григорій Валентин Святослав Орест"
).split()
UK_FEMALE = (
    "Олена Ольга Наталія Тетяна Ірина Оксана Світлана Юлія Анна Марія Катерина Людмила Галина Надія "
    "Віра Любов Лариса Валентина Вікторія Дарина Анастасія Софія Христина Соломія Ганна Мирослава "
    "Зоряна Уляна Богдана Олександра Яна Інна Алла Лілія Ніна Тамара Жанна Леся Марта Ярослава"
).split()
UK_FAMILY = (
    "Мельник Шевченко Коваленко Бондаренко Бойко Ткаченко Кравченко Ковальчук Коваль Олійник "
    "Шевчук Поліщук Ткачук Савченко Бондар Марченко Руденко Мороз Лисенко Петренко Клименко "
    "Павленко Кравчук Кузьменко Пономаренко Савчук Василенко Левченко Харченко Сидоренко Карпенко "
    "Гаврилюк Швець Мартинюк Романенко Іваненко Литвиненко Гончаренко Мазур Кушнір Гуменюк "
    "Симоненко Тимошенко Панченко Мельничук Приходько Лук'яненко Семенко Костенко Гуцуляк Кириленко "
    "Онищенко Мирошниченко Данилюк Головко Мартиненко Ярошенко Білик Дячук Юрченко Степаненко "
    "Захарченко Осадчий Лобода Гнатюк Дорошенко Власенко Федоренко Назаренко Зінченко Яковенко "
    "Демченко Гордієнко Остапенко Тарасенко Дмитренко Антоненко Вакуленко Яременко Нестеренко"
).split()
UK_NICK = {
    "Олександр": ("Сашко", "Саша"), "Володимир": ("Вова", "Володя"), "Микола": ("Коля", "Микола"),
    "Дмитро": ("Діма",), "Тетяна": ("Таня",), "Катерина": ("Катя",), "Наталія": ("Наташа",),
    "Олена": ("Лєна",), "Юлія": ("Юля",), "Анастасія": ("Настя",), "Іван": ("Івасик", "Ваня"),
    "Олексій": ("Льоша",), "Михайло": ("Миша",), "Євген": ("Женя",), "Ярослав": ("Ярко", "Слава"),
    "Соломія": ("Соля",), "Софія": ("Софійка",), "Марія": ("Маруся",), "Ганна": ("Галя",),
}
# Ukrainian given name -> its Russian form (the same person in a Russian-language register).
UK_TO_RU = {
    "Олександр": "Александр", "Олексій": "Алексей", "Дмитро": "Дмитрий", "Михайло": "Михаил",
    "Микола": "Николай", "Сергій": "Сергей", "Володимир": "Владимир", "Іван": "Иван",
    "Андрій": "Андрей", "Юрій": "Юрий", "Василь": "Василий", "Петро": "Пётр", "Віктор": "Виктор",
    "Ігор": "Игорь", "Євген": "Евгений", "Артем": "Артём", "Віталій": "Виталий", "Павло": "Павел",
    "Анатолій": "Анатолий", "Костянтин": "Константин", "Федір": "Фёдор", "Григорій": "Григорий",
    "Тимофій": "Тимофей", "Олена": "Елена", "Наталія": "Наталья", "Тетяна": "Татьяна",
    "Ірина": "Ирина", "Світлана": "Светлана", "Юлія": "Юлия", "Марія": "Мария",
    "Катерина": "Екатерина", "Надія": "Надежда", "Віра": "Вера", "Любов": "Любовь",
    "Вікторія": "Виктория", "Анастасія": "Анастасия", "Ганна": "Анна", "Софія": "Софья",
    "Дарина": "Дарья", "Олександра": "Александра", "Лілія": "Лилия",
}

# --- Arabic: (native script, Latin spellings most common first) ---------------------------
AR_MALE = (
    ("محمد", "Mohammed Muhammad Mohamed Mohammad Mohamad Muhammed"), ("أحمد", "Ahmed Ahmad"),
    ("علي", "Ali Aly"), ("حسن", "Hassan Hasan"), ("حسين", "Hussein Husain Hussain Hossein"),
    ("عمر", "Omar Umar"), ("خالد", "Khaled Khalid"), ("يوسف", "Youssef Yusuf Yousef Yousif"),
    ("إبراهيم", "Ibrahim Ebrahim Brahim"), ("عبد الله", "Abdullah Abdallah Abdulla Abd-Allah"),
    ("عبد الرحمن", "Abdulrahman Abdul-Rahman Abderrahmane Abdelrahman"), ("مصطفى", "Mustafa Moustafa Mostafa"),
    ("محمود", "Mahmoud Mahmud Mahmood"), ("سعيد", "Said Saeed Saied"), ("كريم", "Karim Kareem"),
    ("طارق", "Tarek Tariq Tarik"), ("ياسين", "Yassin Yassine Yasin"), ("حمزة", "Hamza Hamzah"),
    ("بلال", "Bilal Belal"), ("أنس", "Anas Anass"), ("عمار", "Ammar Amar"), ("زياد", "Ziad Ziyad"),
    ("رامي", "Rami Ramy"), ("سامي", "Sami Samy"), ("فادي", "Fadi Fady"), ("وليد", "Walid Waleed"),
    ("هشام", "Hisham Hicham Hesham"), ("نبيل", "Nabil Nabeel"), ("جمال", "Jamal Gamal Djamel"),
    ("عادل", "Adel Adil"), ("رشيد", "Rachid Rashid Rasheed"), ("عبد العزيز", "Abdulaziz Abdelaziz Abdul-Aziz"),
    ("عثمان", "Othman Osman Uthman"), ("صالح", "Saleh Salih Salah"), ("ماجد", "Majed Majid"),
    ("فيصل", "Faisal Faysal Fayssal"), ("ناصر", "Nasser Naser Nasir"), ("منصور", "Mansour Mansur"),
    ("أيمن", "Ayman Aymen"), ("إسماعيل", "Ismail Ismael Esmail"), ("جعفر", "Jaafar Jafar"),
    ("قاسم", "Qasim Kassem Kasim"), ("حيدر", "Haidar Haider Hayder"), ("مهدي", "Mahdi Mehdi"),
)
AR_FEMALE = (
    ("فاطمة", "Fatima Fatma Fatimah Fatema"), ("عائشة", "Aisha Aicha Ayesha Aysha"), ("مريم", "Maryam Mariam Meryem"),
    ("زينب", "Zainab Zaynab Zeinab"), ("خديجة", "Khadija Khadidja Khadijah"), ("نور", "Nour Noor Nur"),
    ("سارة", "Sara Sarah"), ("ليلى", "Layla Leila Laila"), ("هدى", "Huda Houda Hoda"), ("أمل", "Amal Amel"),
    ("سلمى", "Salma Selma"), ("رانيا", "Rania Ranya"), ("دينا", "Dina Dena"), ("ياسمين", "Yasmin Yasmine Jasmin"),
    ("نادية", "Nadia Nadiya"), ("سعاد", "Souad Suad"), ("حنان", "Hanan Hanane"), ("منى", "Mona Muna"),
    ("رشا", "Rasha Racha"), ("هبة", "Heba Hiba"), ("إيمان", "Iman Eman Imane"), ("أسماء", "Asma Asmaa"),
    ("نجلاء", "Najla Naglaa"), ("سمية", "Sumaya Soumaya Somaya"), ("رقية", "Ruqayya Roukaya Rokia"),
    ("آمنة", "Amina Amna Aminah"), ("حليمة", "Halima Halimah"), ("سميرة", "Samira Sameera"),
    ("لينا", "Lina Leena"), ("رحمة", "Rahma Rahmah"), ("شيماء", "Shaimaa Chaimae Shaima"),
    ("دعاء", "Doaa Duaa"), ("إسراء", "Israa Esraa Isra"), ("وفاء", "Wafaa Wafa"), ("غادة", "Ghada Ghada"),
    ("هالة", "Hala Halah"), ("جميلة", "Jamila Djamila Jameela"), ("كوثر", "Kawthar Kaoutar Kawsar"),
    ("صفاء", "Safaa Safa"), ("نسرين", "Nisrine Nesrine Nasreen"),
)
AR_FAMILY = (
    ("الأحمد", "Al-Ahmad Alahmad Al-Ahmed"), ("الخطيب", "Al-Khatib Alkhatib El-Khatib Khatib"),
    ("الحسيني", "Al-Husseini Alhusaini El-Husseini"), ("العلي", "Al-Ali Alali"), ("الشامي", "Al-Shami Alshami Chami"),
    ("المصري", "Al-Masri Almasri El-Masry"), ("حداد", "Haddad Hadad"), ("خليل", "Khalil Khaleel"),
    ("نصار", "Nassar Nasar"), ("سليمان", "Suleiman Sulaiman Slimane Soliman"), ("حمدان", "Hamdan Hamdane"),
    ("عيسى", "Issa Eissa Isa"), ("يونس", "Younes Yunus Younis"), ("منصور", "Mansour Mansur"),
    ("الجبوري", "Al-Jubouri Aljuboori Al-Jabouri"), ("التميمي", "Al-Tamimi Altamimi Tamimi"),
    ("الدليمي", "Al-Dulaimi Aldulaimi Al-Dulaymi"), ("العبيدي", "Al-Obaidi Alobaidi Al-Ubaidi"),
    ("الزبيدي", "Al-Zubaidi Alzubaidi"), ("الربيعي", "Al-Rubaie Alrubaie Al-Rubaiy"), ("الساعدي", "Al-Saadi Alsaadi Saadi"),
    ("البغدادي", "Al-Baghdadi Albaghdadi"), ("الكردي", "Al-Kurdi Alkurdi Kurdi"), ("العمري", "Al-Omari Alomari El-Omari"),
    ("بنعلي", "Benali Ben-Ali"), ("العلوي", "Alaoui El-Alaoui Al-Alawi"), ("الإدريسي", "El-Idrissi Idrissi Al-Idrisi"),
    ("بنعمر", "Benomar Ben-Omar"), ("التازي", "Tazi El-Tazi"), ("الفاسي", "El-Fassi Fassi Al-Fasi"),
    ("بناني", "Bennani Benani"), ("برادة", "Berrada Barada"), ("الشرقاوي", "Cherkaoui Al-Sharqawi Charkaoui"),
    ("قباني", "Kabbani Qabbani"), ("الحلبي", "Al-Halabi Halabi"), ("الحمصي", "Al-Homsi Homsi"),
    ("الأسعد", "Al-Asaad Alassad Al-Assad"), ("درويش", "Darwish Darwiche"), ("عثمان", "Othman Osman"),
    ("زيدان", "Zidane Zaidan Zeidan"), ("سلامة", "Salameh Salama"), ("النجار", "Al-Najjar Najjar Alnajar"),
    ("العبدالله", "Al-Abdullah Alabdallah"), ("الحسن", "Al-Hassan Alhassan El-Hassan"),
)

# --- Vietnamese (family name first; weights are rough national shares, in %) --------------
VI_FAMILY = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 4.1), ("Huỳnh", 1.9), ("Phan", 4.5),
    ("Vũ", 3.9), ("Võ", 2), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3),
    ("Dương", 1), ("Lý", 0.5), ("Đinh", 0.6), ("Trương", 0.6), ("Đào", 0.4), ("Lương", 0.3), ("Mai", 0.3),
    ("Trịnh", 0.3), ("Lâm", 0.3), ("Cao", 0.3), ("Tạ", 0.2),
)
VI_MIDDLE_MALE = "Văn Đức Minh Quang Hữu Thanh Công Xuân Hoàng Anh Ngọc Tuấn".split()
VI_MIDDLE_FEMALE = "Thị Ngọc Thu Thanh Minh Kim Hồng Phương Thùy Bảo".split()
VI_MALE = (
    "An Anh Bảo Bình Cường Dũng Duy Đạt Đức Hải Hiếu Hoàng Hùng Huy Khang Khoa Khôi Kiên Lâm Long "
    "Minh Nam Nghĩa Nhân Phát Phong Phúc Quân Quang Sơn Tài Tâm Thắng Thành Thịnh Toàn Trung Tuấn Tùng Việt"
).split()
VI_FEMALE = (
    "Anh Chi Diệp Dung Giang Hà Hạnh Hằng Hoa Hương Huyền Lan Liên Linh Loan Mai My Nga Ngân Ngọc "
    "Nhung Nhi Oanh Phương Quyên Quỳnh Tâm Thảo Thu Thủy Trang Trinh Tuyết Uyên Vân Vy Xuân Yến Hiền Hồng"
).split()

# --- Spanish (Colombia): two surnames, paternal then maternal ------------------------------
ES_MALE = (
    "José Juan Carlos Luis Jorge Andrés Miguel Diego Alejandro Javier Fernando Ricardo Eduardo "
    "Francisco Antonio Manuel Pedro Rafael Sergio Daniel David Óscar Julián Camilo Santiago Sebastián "
    "Felipe Mauricio Hernán Guillermo Alberto Roberto Enrique Ignacio Jesús Gustavo Alfonso Álvaro Jaime Germán"
).split()
ES_FEMALE = (
    "María Ana Luz Carmen Sandra Claudia Patricia Diana Paola Andrea Carolina Natalia Alejandra "
    "Marcela Adriana Liliana Gloria Martha Rosa Isabel Laura Valentina Camila Daniela Juliana "
    "Catalina Mónica Beatriz Lucía Teresa Pilar Guadalupe Yolanda Esperanza Milena Viviana Angélica Lorena Johana Yesenia"
).split()
ES_FAMILY = (
    "García Rodríguez Martínez López González Hernández Pérez Sánchez Ramírez Torres Flores Rivera "
    "Gómez Díaz Reyes Morales Cruz Ortiz Gutiérrez Chávez Ramos Ruiz Jiménez Mendoza Álvarez Castillo "
    "Vargas Romero Herrera Medina Aguilar Castro Moreno Rojas Suárez Muñoz Ospina Cardona Restrepo "
    "Valencia Quintero Mejía Osorio Arango Londoño Zapata Giraldo Correa Montoya Ríos Marín Salazar"
).split()
ES_NICK = {
    "José": ("Pepe",), "Francisco": ("Paco", "Pancho"), "Guillermo": ("Memo",), "Ignacio": ("Nacho",),
    "Jesús": ("Chucho",), "Antonio": ("Toño",), "Alberto": ("Beto",), "Roberto": ("Beto",),
    "Enrique": ("Kike",), "Alejandro": ("Álex",), "Eduardo": ("Lalo",), "Manuel": ("Manolo",),
    "Luis": ("Lucho",), "Guadalupe": ("Lupe",), "Teresa": ("Tere",), "Pilar": ("Pili",),
    "Isabel": ("Chabela",), "Alejandra": ("Ale",), "Daniela": ("Dani",), "Sebastián": ("Sebas",),
}

# --- Nigeria (English and Yoruba/Igbo/Hausa names) -----------------------------------------
NG_MALE = (
    "Samuel Joseph Emmanuel Daniel David John Michael Peter Paul Stephen William Richard Robert "
    "Christopher Anthony James Charles Benjamin Godwin Friday Sunday Chinedu Chukwuemeka Obinna "
    "Ikechukwu Oluwaseun Olumide Adebayo Oluwafemi Babatunde Abdullahi Musa Yakubu Uchenna Nnamdi "
    "Kelechi Chidi Ifeanyi Segun Victor"
).split()
NG_FEMALE = (
    "Blessing Mary Grace Patience Comfort Joy Faith Esther Deborah Ruth Victoria Jennifer Rebecca "
    "Christiana Elizabeth Margaret Catherine Ngozi Chiamaka Adaeze Chioma Nkechi Ifeoma Funmilayo "
    "Folake Oluwakemi Yetunde Bukola Titilayo Abimbola Aisha Amina Hauwa Zainab Halima Precious Gift "
    "Peace Mercy Favour"
).split()
NG_FAMILY = (
    "Okafor Okonkwo Okeke Eze Nwosu Obi Chukwu Nwachukwu Onyeka Uche Ibe Okoro Nnadi Ogbonna "
    "Adeyemi Adebayo Ogunleye Balogun Afolabi Oladipo Ogunbiyi Adewale Olawale Akinola Oyelaran Bello "
    "Abubakar Musa Yusuf Ibrahim Suleiman Aliyu Mohammed Danjuma Garba Idris Usman Lawal Ojo Edet "
    "Effiong Bassey Okon Etim Udoh Akpan"
).split()
NG_NICK = {
    "William": ("Bill", "Will"), "Elizabeth": ("Liz", "Beth", "Lizzy"), "Margaret": ("Maggie", "Peggy"),
    "Catherine": ("Kate", "Cathy"), "Robert": ("Bob", "Bobby"), "Richard": ("Rick", "Dick"),
    "Christopher": ("Chris",), "Anthony": ("Tony",), "James": ("Jim", "Jimmy"), "Charles": ("Charlie",),
    "Benjamin": ("Ben",), "Samuel": ("Sam",), "Joseph": ("Joe",), "Michael": ("Mike",), "Daniel": ("Dan",),
    "Stephen": ("Steve",), "Emmanuel": ("Emma",), "Chukwuemeka": ("Emeka",), "Oluwaseun": ("Seun",),
    "Olumide": ("Mide",), "Oluwafemi": ("Femi",), "Babatunde": ("Tunde",), "Ikechukwu": ("Ike",),
    "Chiamaka": ("Amaka",), "Funmilayo": ("Funmi",), "Oluwakemi": ("Kemi",), "Titilayo": ("Titi",),
    "Abimbola": ("Bimbo",), "Christiana": ("Tina",), "Victoria": ("Vicky",), "Jennifer": ("Jenny",),
    "Rebecca": ("Becky",), "Deborah": ("Debbie",),
}

# --- Romanian (Moldova) --------------------------------------------------------------------
RO_MALE = (
    "Ion Vasile Mihai Andrei Alexandru Nicolae Gheorghe Ștefan Constantin Dumitru Sergiu Vladimir "
    "Victor Igor Dorin Dan Radu Adrian Cristian Valeriu Petru Pavel Iurie Oleg Vitalie Eugen Marin "
    "Tudor Octavian Anatol Veaceslav Ruslan Artur Denis Maxim Vadim Grigore Simion Iulian Liviu"
).split()
RO_FEMALE = (
    "Maria Elena Ana Ioana Natalia Tatiana Olga Svetlana Irina Ludmila Galina Valentina Angela "
    "Aurelia Cristina Diana Doina Daniela Mariana Mihaela Lilia Nadejda Lidia Veronica Victoria "
    "Violeta Corina Rodica Silvia Tamara Zinaida Eugenia Ecaterina Alina Viorica Liliana Stela Adriana Larisa Iuliana"
).split()
RO_FAMILY = (
    "Rusu Ceban Ciobanu Cebotari Munteanu Cojocaru Lungu Țurcanu Botnari Moraru Sârbu Rotari Grosu "
    "Bălan Melnic Popa Popescu Sandu Guțu Mocanu Roșca Croitoru Bivol Caraman Chiriac Postolachi "
    "Vrabie Țăranu Plămădeală Bodrug Cazacu Gheorghiu Ursu Buzdugan Stratan Cernei Spînu Negru "
    "Zaharia Morari Ababii Donțu Frunză"
).split()
RO_NICK = {
    "Nicolae": ("Nicu",), "Gheorghe": ("Ghiță", "George"), "Ion": ("Ionel", "Ionuț"),
    "Constantin": ("Costel", "Costică"), "Dumitru": ("Mitică",), "Vasile": ("Vasilică",),
    "Ecaterina": ("Cati",), "Elena": ("Lena",), "Natalia": ("Natașa",), "Tatiana": ("Tania",),
    "Alexandru": ("Sandu",), "Mihai": ("Mișu",),
}

# --- Places: country -> ((native, Latin variants...), ...); postcode format; phone plan -----
CITIES = {
    "UA": (("Київ", "Kyiv", "Kiev"), ("Харків", "Kharkiv", "Kharkov"), ("Одеса", "Odesa", "Odessa"),
           ("Дніпро", "Dnipro", "Dnepr"), ("Львів", "Lviv", "Lvov")),
    "RU": (("Москва", "Moskva", "Moscow"), ("Санкт-Петербург", "Sankt-Peterburg", "St Petersburg"),
           ("Новосибирск", "Novosibirsk"), ("Екатеринбург", "Yekaterinburg", "Ekaterinburg"), ("Казань", "Kazan")),
    "MD": (("Chișinău", "Chisinau", "Kishinev"), ("Bălți", "Balti", "Beltsy"), ("Cahul", "Cahul"),
           ("Orhei", "Orhei"), ("Ungheni", "Ungheni")),
    "SY": (("دمشق", "Damascus", "Dimashq"), ("حلب", "Aleppo", "Halab"), ("حمص", "Homs", "Hims"),
           ("اللاذقية", "Latakia", "Lattakia"), ("حماة", "Hama", "Hamah")),
    "IQ": (("بغداد", "Baghdad", "Bagdad"), ("البصرة", "Basra", "Al-Basrah"), ("الموصل", "Mosul", "Al-Mawsil"),
           ("أربيل", "Erbil", "Arbil"), ("النجف", "Najaf", "An-Najaf")),
    "MA": (("الدار البيضاء", "Casablanca", "Dar el Beida"), ("الرباط", "Rabat"), ("مراكش", "Marrakech", "Marrakesh"),
           ("فاس", "Fes", "Fez"), ("طنجة", "Tangier", "Tanger")),
    "VN": (("Hà Nội", "Ha Noi", "Hanoi"), ("Thành phố Hồ Chí Minh", "Ho Chi Minh City", "TP HCM", "Saigon"),
           ("Hải Phòng", "Hai Phong", "Haiphong"), ("Đà Nẵng", "Da Nang", "Danang"), ("Nghệ An", "Nghe An")),
    "CO": (("Bogotá", "Bogota", "Bogotá D.C."), ("Medellín", "Medellin"), ("Cali", "Santiago de Cali"),
           ("Barranquilla", "Barranquilla"), ("Cartagena", "Cartagena de Indias")),
    "NG": (("Lagos", "Lagos"), ("Abuja", "Abuja"), ("Kano", "Kano"), ("Ibadan", "Ibadan"), ("Benin City", "Benin")),
}
STREETS = {
    "UA": ("вул. Шевченка", "вул. Франка", "просп. Миру", "вул. Садова", "вул. Центральна"),
    "RU": ("ул. Ленина", "ул. Советская", "ул. Мира", "ул. Садовая", "пр. Победы"),
    "MD": ("str. Ștefan cel Mare", "str. Mihai Eminescu", "str. Pușkin", "bd. Dacia", "str. Independenței"),
    "SY": ("Al-Thawra St", "Baghdad St", "Al-Hamra St", "Al-Jalaa St", "Al-Mazzeh Rd"),
    "IQ": ("Al-Rasheed St", "Palestine St", "Al-Sadoun St", "Al-Mansour St", "Karrada St"),
    "MA": ("Bd Mohammed V", "Rue Allal Ben Abdellah", "Av Hassan II", "Rue de Fes", "Bd Zerktouni"),
    "VN": ("Đường Lê Lợi", "Đường Trần Hưng Đạo", "Phố Huế", "Đường Nguyễn Trãi", "Đường Hai Bà Trưng"),
    "CO": ("Calle 45", "Carrera 7", "Calle 10", "Carrera 43A", "Avenida Boyacá"),
    "NG": ("Allen Avenue", "Broad Street", "Herbert Macaulay Way", "Awolowo Road", "Ahmadu Bello Way"),
}
POSTCODE = {"UA": "#####", "RU": "######", "MD": "MD-####", "SY": "", "IQ": "#####", "MA": "#####",
            "VN": "######", "CO": "######", "NG": "######"}
# country -> (calling code, national trunk prefix, mobile prefixes, national significant digits)
PHONE_PLAN = {
    "UA": ("380", "0", ("50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99"), 9),
    "RU": ("7", "8", ("900", "903", "905", "915", "916", "921", "925", "926", "977", "985"), 10),
    "MD": ("373", "0", ("60", "62", "67", "68", "69", "78", "79"), 8),
    "SY": ("963", "0", ("93", "94", "95", "96", "98", "99"), 9),
    "IQ": ("964", "0", ("750", "751", "770", "771", "780", "781", "790"), 10),
    "MA": ("212", "0", ("61", "62", "66", "67", "68", "70", "77"), 9),
    "VN": ("84", "0", ("90", "91", "93", "94", "96", "97", "98", "86", "70", "77"), 9),
    "CO": ("57", "", ("300", "301", "310", "311", "312", "313", "315", "320", "321"), 10),
    "NG": ("234", "0", ("803", "806", "813", "816", "703", "706", "805", "807", "802", "808"), 10),
}
# Country -> cultures of its residents with weights.
COUNTRY_CULTURES = {
    "UA": {"uk": 85, "ru": 15}, "RU": {"ru": 100}, "MD": {"ro": 80, "ru": 20},
    "SY": {"ar": 100}, "IQ": {"ar": 100}, "MA": {"ar": 100}, "VN": {"vi": 100}, "CO": {"es": 100},
    "NG": {"ng": 100},
}
# Share of persons per country of citizenship in the exercise.
COUNTRY_WEIGHTS = {"UA": 18, "RU": 10, "MD": 10, "SY": 12, "IQ": 10, "MA": 8, "VN": 12, "CO": 10, "NG": 10}

# fmt: on
