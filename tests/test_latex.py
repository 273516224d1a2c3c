from gradleak.latex import display_name, split_names, surname, to_text


def test_accents_dashes_and_protection_braces():
    assert to_text(r"{GAN}s -- Dr{\"o}ge {\o} Balunovi{\'c}") == "GANs – Dröge ø Balunović"


def test_math_is_shown_as_text():
    assert to_text(r"$\epsilon$-Differential Privacy") == "ϵ-Differential Privacy"


def test_html_like_text_is_left_alone_for_the_escaper():
    assert to_text('Sp<sup>2</sup> "quoted" *star*') == 'Sp<sup>2</sup> "quoted" *star*'


def test_whitespace_is_collapsed_and_ties_become_spaces():
    assert to_text("A\n   long~title") == "A long title"


def test_names_in_reading_order():
    names = split_names(r"Dr{\"o}ge, Hannah and Jonas Geiping and van der Berg, Jan and Smith, Jr., John")
    assert [display_name(n) for n in names] == [
        "Hannah Dröge", "Jonas Geiping", "Jan van der Berg", "John Smith, Jr."]
    assert surname(names[2]) == "van der Berg"


def test_one_person_with_two_given_names_stays_one_person():
    assert [display_name(n) for n in split_names("Ovi, Pretom Roy and Gangopadhyay, Aryya")] == [
        "Pretom Roy Ovi", "Aryya Gangopadhyay"]


def test_corporate_author_in_braces():
    assert [display_name(n) for n in split_names("{OpenAI Research}")] == ["OpenAI Research"]
