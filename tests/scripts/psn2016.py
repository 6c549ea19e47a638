#!/usr/bin/env python3
"""Sign in to bungie.net through PlayStation Network as the 2016 Destiny scripts did, then move
one vault item to a character and back, and lock it.

Only the standard library: an ordinary HTTP client with a cookie jar, no Courier code. It talks
to one base URL that serves both bungie.net's paths and Sony's (the simulator does).

    python3 psn2016.py --base http://127.0.0.1:PORT --api-key KEY \\
        --username guardian@example.com --password sandbox-password

On success it prints one JSON summary on stdout and exits 0; on any failure it prints what
went wrong on stderr and exits 1.
"""

import argparse
import base64
import http.cookiejar
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

SIGN_IN_PATH = "/en/User/SignIn/Psnid"
VAULT_BUCKET = 138197802
EQUIPPABLE_CATEGORY = 3
CHARACTER_SCOPE = 0
ITEM_STATE_LOCKED = 1
NOT_TRANSFERRABLE = 2
ANY_CLASS = 3
# How many vault items to look up before giving up on finding one that fits a character.
MAX_CANDIDATES = 60


class Failure(Exception):
    """A step that did not go as the flow expects, with a sentence saying which and why."""


class KeepRedirects(urllib.request.HTTPRedirectHandler):
    """Hands 3xx answers back instead of following them, so each hop can be read."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Answer:
    """One HTTP answer: status, headers, body and the URL it came from."""

    def __init__(self, status, headers, body, url):
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url

    def location(self):
        where = self.headers.get("Location")
        if not where:
            raise Failure(f"{self.url} answered {self.status} without a Location to follow")
        return urllib.parse.urljoin(self.url, where)


class Client:
    """Two openers over one cookie jar: one follows redirects, one stops at each."""

    def __init__(self, base):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self.following = urllib.request.build_opener(cookies)
        self.stepping = urllib.request.build_opener(cookies, KeepRedirects())

    def url(self, path):
        return path if "://" in path else self.base + path

    def send(self, path, data=None, headers=None, follow=False):
        request = urllib.request.Request(self.url(path), data=data, headers=headers or {})
        opener = self.following if follow else self.stepping
        try:
            with opener.open(request, timeout=30) as response:
                return Answer(response.status, response.headers, response.read(), response.url)
        except urllib.error.HTTPError as error:
            # 3xx (not followed) and 4xx/5xx answers still carry headers and a body.
            with error:
                return Answer(error.code, error.headers, error.read(), request.full_url)
        except (urllib.error.URLError, OSError) as error:
            raise Failure(f"cannot reach {request.full_url}: {error}") from error

    def cookie(self, name):
        for cookie in self.jar:
            if cookie.name == name:
                return cookie.value
        return None


def sign_in(client, username, password):
    """The 2016 PSN flow; answers the three bungie.net session cookies."""
    # 1. bungie.net sends us to Sony's authorize, which sets JSESSIONID and shows login.jsp.
    page = client.send(SIGN_IN_PATH, follow=True)
    login = urllib.parse.urlsplit(page.url)
    if page.status != 200 or login.path != "/login.jsp":
        raise Failure(f"expected Sony's login page after {SIGN_IN_PATH}, got {page.status} at {page.url}")
    if not client.cookie("JSESSIONID"):
        raise Failure("Sony's authorize did not set a JSESSIONID cookie")

    # 2. Post the credentials with params = base64 of the login page's query.
    form = urllib.parse.urlencode({
        "j_username": username,
        "j_password": password,
        "params": base64.b64encode(login.query.encode()).decode(),
    }).encode()
    posted = client.send("/login.do", data=form, headers={
        "Content-Type": "application/x-www-form-urlencoded",
    })
    if posted.status not in (301, 302, 303):
        raise Failure(f"login.do answered {posted.status} instead of a redirect: {posted.body[:200]!r}")
    authorize = posted.location()
    if "authentication_error" in authorize:
        raise Failure("PlayStation Network rejected the username or password (authentication_error)")

    # 3. Back to authorize with the new JSESSIONID: the grant code comes in X-NP-GRANT-CODE.
    granted = client.send(authorize)
    grant = granted.headers.get("X-NP-GRANT-CODE")
    if granted.status not in (301, 302, 303) or not grant:
        raise Failure(f"authorize answered {granted.status} without an X-NP-GRANT-CODE header")
    back = granted.location()
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(back).query).get("code", [None])[0]
    if urllib.parse.urlsplit(back).path != SIGN_IN_PATH or code != grant:
        raise Failure(f"authorize sent us to {back} instead of {SIGN_IN_PATH}?code={grant}")

    # 4. bungie.net exchanges the code and sets its cookies on this very answer.
    finished = client.send(back)
    if finished.status != 200:
        raise Failure(f"{SIGN_IN_PATH}?code=... answered {finished.status} instead of 200")
    cookies = {name: client.cookie(name) for name in ("bungled", "bungleatk", "bungledid")}
    missing = [name for name, value in cookies.items() if not value]
    if missing:
        raise Failure(f"bungie.net did not set the cookie(s) {', '.join(missing)} after sign-in")
    return cookies


class Platform:
    """bungie.net's Platform API with the cookie session: X-API-Key plus X-CSRF = bungled."""

    def __init__(self, client, api_key, bungled):
        self.client = client
        self.headers = {"X-API-Key": api_key, "X-CSRF": bungled}
        self.definitions = {}

    def call(self, path, body=None):
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        answer = self.client.send("/Platform" + path, data=data, headers=headers)
        try:
            envelope = json.loads(answer.body)
        except ValueError as error:
            raise Failure(f"{path} answered {answer.status} with no JSON envelope ({error})") from error
        if envelope.get("ErrorCode") != 1:
            raise Failure(
                f"{path} answered {answer.status} ErrorCode {envelope.get('ErrorCode')} "
                f"{envelope.get('ErrorStatus')}: {envelope.get('Message')}"
            )
        return envelope.get("Response")

    def definition(self, table, hash_):
        key = (table, hash_)
        if key not in self.definitions:
            self.definitions[key] = self.call(f"/Destiny2/Manifest/{table}/{hash_}/")
        return self.definitions[key]


def choose_move(platform, profile):
    """An unlocked vault item and a character of its class with room in its bucket."""
    characters = profile["characters"]["data"]
    held = {}
    for character_id in characters:
        for block in ("characterInventories", "characterEquipment"):
            for item in profile[block]["data"].get(character_id, {}).get("items", []):
                held.setdefault((character_id, item["bucketHash"]), 0)
                held[(character_id, item["bucketHash"])] += 1
    candidates = [
        item for item in profile["profileInventory"]["data"]["items"]
        if item.get("bucketHash") == VAULT_BUCKET
        and item.get("itemInstanceId")
        and item.get("lockable")
        and not item.get("state", 0) & ITEM_STATE_LOCKED
        and not item.get("transferStatus", 0) & NOT_TRANSFERRABLE
    ]
    for item in candidates[:MAX_CANDIDATES]:
        definition = platform.definition("DestinyInventoryItemDefinition", item["itemHash"])
        if definition.get("nonTransferrable"):
            continue
        bucket_hash = definition["inventory"]["bucketTypeHash"]
        bucket = platform.definition("DestinyInventoryBucketDefinition", bucket_hash)
        if bucket.get("category") != EQUIPPABLE_CATEGORY or bucket.get("scope") != CHARACTER_SCOPE:
            continue
        for character_id, character in characters.items():
            fits_class = definition.get("classType") in (ANY_CLASS, character["classType"])
            has_room = held.get((character_id, bucket_hash), 0) < bucket["itemCount"]
            if fits_class and has_room:
                return item, character_id, bucket_hash
    raise Failure(f"none of the first {MAX_CANDIDATES} unlocked vault items fits on a character")


def run(args):
    client = Client(args.base)
    cookies = sign_in(client, args.username, args.password)
    platform = Platform(client, args.api_key, cookies["bungled"])

    memberships = platform.call("/User/GetMembershipsForCurrentUser/")
    destiny = memberships.get("destinyMemberships") or []
    if not destiny:
        raise Failure("this bungie.net account has no Destiny membership")
    primary = memberships.get("primaryMembershipId")
    account = next((m for m in destiny if m["membershipId"] == primary), destiny[0])
    membership_type, membership_id = account["membershipType"], account["membershipId"]

    profile = platform.call(
        f"/Destiny2/{membership_type}/Profile/{membership_id}/?components=102,200,201,205"
    )
    item, character_id, bucket_hash = choose_move(platform, profile)
    item_id = item["itemInstanceId"]

    def transfer(to_vault):
        platform.call("/Destiny2/Actions/Items/TransferItem/", {
            "itemReferenceHash": item["itemHash"],
            "stackSize": 1,
            "transferToVault": to_vault,
            "itemId": item_id,
            "characterId": character_id,
            "membershipType": membership_type,
        })
        time.sleep(args.action_delay)

    transfer(False)
    transfer(True)
    platform.call("/Destiny2/Actions/Items/SetLockState/", {
        "state": True,
        "itemId": item_id,
        "characterId": character_id,
        "membershipType": membership_type,
    })
    return {
        "membershipType": membership_type,
        "membershipId": membership_id,
        "characterId": character_id,
        "itemId": item_id,
        "itemHash": item["itemHash"],
        "bucketHash": bucket_hash,
        "moves": ["vault->character", "character->vault"],
        "locked": True,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the http(s) URL serving bungie.net and Sony")
    parser.add_argument("--api-key", required=True, help="the bungie.net API key (X-API-Key)")
    parser.add_argument("--username", required=True, help="the PSN sign-in id (email)")
    parser.add_argument("--password", required=True, help="the PSN password")
    parser.add_argument("--action-delay", type=float, default=0.1,
                        help="seconds to wait after each action (bungie.net spaces them 0.1 s)")
    args = parser.parse_args()
    try:
        summary = run(args)
    except Failure as failure:
        print(f"psn2016: {failure}", file=sys.stderr)
        return 1
    except (KeyError, TypeError, AttributeError) as error:
        print(f"psn2016: an answer lacked an expected field ({error!r})", file=sys.stderr)
        return 1
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
