from flask import redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import update

from hromada.clock import now
from hromada.extensions import db
from hromada.modules.notifications.models import Notification
from hromada.modules.notifications.service import for_user, render


def index():
    return render_template("notifications/index.html", notifications=for_user(current_user.id), render=render)


def mark_all_read():
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=now())
    )
    db.session.commit()
    return redirect(url_for("notifications.index"))
