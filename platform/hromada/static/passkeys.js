/* Passkeys (WebAuthn): the only script of Hromada's pages, and only for this. Everything else,
   authenticator-app codes included, works without JavaScript; without WebAuthn this stays hidden. */
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) {
    return;
  }

  function toBuffer(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) {
      base64 += "=";
    }
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) {
      binary += String.fromCharCode(bytes[i]);
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function credentialJSON(credential) {
    var response = credential.response;
    var out = {id: credential.id, rawId: toText(credential.rawId), type: credential.type,
               clientExtensionResults: credential.getClientExtensionResults(),
               response: {clientDataJSON: toText(response.clientDataJSON)}};
    if (response.attestationObject) {
      out.response.attestationObject = toText(response.attestationObject);
      if (response.getTransports) {
        out.response.transports = response.getTransports();
      }
    }
    if (response.authenticatorData) {
      out.response.authenticatorData = toText(response.authenticatorData);
      out.response.signature = toText(response.signature);
      if (response.userHandle) {
        out.response.userHandle = toText(response.userHandle);
      }
    }
    return out;
  }

  function post(box, url, body) {
    var token = box.querySelector('input[name="csrf_token"]');
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token ? token.value : ""},
      body: JSON.stringify(body || {})
    }).then(function (answer) {
      return answer.json().catch(function () { return {}; });
    });
  }

  function ServerError(message) {
    this.fromServer = message;
  }

  function start(box, status) {
    status.textContent = "";
    var registering = box.getAttribute("data-passkey") === "register";
    post(box, box.getAttribute("data-options"), {}).then(function (answer) {
      if (answer.redirect) {
        window.location.assign(answer.redirect);
        return null;
      }
      if (!answer.options) {
        throw new ServerError(answer.error);
      }
      var options = answer.options;
      options.challenge = toBuffer(options.challenge);
      if (registering) {
        options.user.id = toBuffer(options.user.id);
        (options.excludeCredentials || []).forEach(function (item) { item.id = toBuffer(item.id); });
        return navigator.credentials.create({publicKey: options});
      }
      (options.allowCredentials || []).forEach(function (item) { item.id = toBuffer(item.id); });
      return navigator.credentials.get({publicKey: options});
    }).then(function (credential) {
      if (!credential) {
        return null;
      }
      var label = box.querySelector('input[name="passkey_label"]');
      return post(box, box.getAttribute("data-verify"), {
        credential: credentialJSON(credential), label: label ? label.value : "",
        next: box.getAttribute("data-next") || ""
      });
    }).then(function (answer) {
      if (answer === null) {
        return;
      }
      if (answer.redirect) {
        window.location.assign(answer.redirect);
        return;
      }
      throw new ServerError(answer.error);
    }).catch(function (error) {
      status.textContent = (error && error.fromServer) || box.getAttribute("data-failed");
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-passkey]"), function (box) {
    var status = box.querySelector("[data-passkey-status]");
    box.hidden = false;
    box.querySelector("button").addEventListener("click", function (event) {
      event.preventDefault();
      start(box, status);
    });
  });
})();
