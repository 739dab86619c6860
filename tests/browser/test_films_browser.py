"""The film catalogue in headless Chromium: search in place, log in, edit, flash messages, log out,
error pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

RESULT_TITLES = "return Array.from(document.querySelectorAll('#results td a'), a => a.textContent)"


def wait(browser: Chrome) -> WebDriverWait:
    return WebDriverWait(browser, timeout=10)


def test_typing_in_the_search_box_updates_the_results_without_loading_a_new_page(browser: Chrome, server: str) -> None:
    browser.get(server + "/films")
    assert len(browser.execute_script(RESULT_TITLES)) > 1
    browser.execute_script("window.samePage = true")
    browser.find_element(By.ID, "q").send_keys("samurai")
    wait(browser).until(lambda browser: browser.execute_script(RESULT_TITLES) == ["Seven Samurai"])
    assert browser.execute_script("return window.samePage") is True
    assert (
        browser.execute_script("return document.querySelectorAll('form, #results').length") == 2
    )  # no page in the page
    assert browser.current_url == server + "/films?q=samurai"


def test_a_user_logs_in_edits_a_film_sees_it_saved_and_logs_out(browser: Chrome, server: str) -> None:
    browser.get(server + "/films/2")
    browser.find_element(By.LINK_TEXT, "Log in to edit this film").click()
    browser.find_element(By.ID, "name").send_keys("demo")
    browser.find_element(By.ID, "password").send_keys("demo")
    browser.find_element(By.CSS_SELECTOR, "#login button").click()
    wait(browser).until(lambda browser: urlsplit(browser.current_url).path == "/films/2/edit")
    title = browser.find_element(By.ID, "title")
    title.clear()
    title.send_keys("Rashōmon")
    browser.find_element(By.CSS_SELECTOR, "#edit button").click()
    wait(browser).until(lambda browser: urlsplit(browser.current_url).path == "/films/2")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Rashōmon (1950)"
    assert [p.text for p in browser.find_elements(By.CSS_SELECTOR, "p.flash")] == ["Saved."]
    browser.find_element(By.CSS_SELECTOR, "#logout button").click()
    wait(browser).until(lambda browser: urlsplit(browser.current_url).path == "/films")
    assert [p.text for p in browser.find_elements(By.CSS_SELECTOR, "p.flash")] == ["You are logged out."]
    assert browser.find_element(By.CSS_SELECTOR, "header.site nav a").text == "Log in"
    browser.refresh()
    assert browser.find_elements(By.CSS_SELECTOR, "p.flash") == []


def test_a_visitor_opening_the_edit_form_logs_in_first_and_lands_back_on_it(browser: Chrome, server: str) -> None:
    browser.get(server + "/films/3/edit")
    assert urlsplit(browser.current_url).path == "/login"
    assert urlsplit(browser.current_url).query == "next=%2Ffilms%2F3%2Fedit"
    browser.find_element(By.ID, "name").send_keys("demo")
    browser.find_element(By.ID, "password").send_keys("demo")
    browser.find_element(By.CSS_SELECTOR, "#login button").click()
    wait(browser).until(lambda browser: urlsplit(browser.current_url).path == "/films/3/edit")
    assert browser.find_element(By.ID, "title").get_attribute("value")


def test_an_unknown_film_shows_the_not_found_page_in_the_sites_layout(browser: Chrome, server: str) -> None:
    browser.get(server + "/films/999")
    assert browser.find_element(By.TAG_NAME, "h1").text == "404 Not Found"
    assert browser.find_element(By.CSS_SELECTOR, ".error-detail").text == "There is no film 999 in the catalogue."
    browser.find_element(By.CSS_SELECTOR, "header.site a.brand").click()
    wait(browser).until(lambda browser: urlsplit(browser.current_url).path == "/films")
