"""What `fhb run` starts with FHB_RASA_SERVERS and FHB_REDIS_URL (issue 12): pairs of
action server and Rasa on ports one after the other, each Rasa with its own action server,
the shared SQL tracker store and, with Redis, Rasa's Redis lock store. The endpoints files
are read back the way Rasa reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import read_endpoint_config

from bot.launcher import server_starters, write_endpoints
from bot.lock_store import AsyncRedisLockStore
from fhb.settings import Settings


def settings(tmp: Path, **extra: object) -> Settings:
    """Settings for two pairs, with SQLite files under `tmp`."""
    values: dict[str, object] = dict(
        database_url=f"sqlite:///{tmp / 'fhb.db'}",
        tracker_url=f"sqlite:///{tmp / 'tracker.db'}",
        profile_path=tmp / "kommune.yml",
        rasa_url="http://127.0.0.1:7005",
        action_port=7055,
        rasa_port=7005,
        host="127.0.0.1",
        secret_key="launcher-test",
        rasa_servers=2,
    )
    return Settings(**{**values, **extra})  # type: ignore[arg-type]


def test_two_pairs_each_rasa_with_its_own_action_server(tmp_path: Path) -> None:
    starters = server_starters(settings(tmp_path), log_dir=tmp_path / "logs")
    assert sorted(starters) == ["actions", "actions-2", "rasa", "rasa-2"]
    for suffix, action_port in (("", 7055), ("-2", 7056)):
        endpoints = tmp_path / "logs" / f"endpoints{suffix}.yml"
        action = read_endpoint_config(str(endpoints), "action_endpoint")
        assert action is not None and action.url == f"http://127.0.0.1:{action_port}/webhook"
        assert action.kwargs.get("enable_selective_domain") is True  # domain.yml's send_domain
        store = read_endpoint_config(str(endpoints), "tracker_store")
        assert store is not None and store.type == "bot.tracker_store.UrlSQLTrackerStore"
        assert read_endpoint_config(str(endpoints), "lock_store") is None  # in memory
    rasa_2 = starters["rasa-2"].args[1]  # type: ignore[attr-defined]
    assert rasa_2[rasa_2.index("--port") + 1] == "7006"


def test_with_redis_every_rasa_shares_one_redis_lock_store(tmp_path: Path) -> None:
    redis = "redis://:s3cret@127.0.0.1:6390/4"
    path = write_endpoints(settings(tmp_path, redis_url=redis), tmp_path / "endpoints.yml")
    config = read_endpoint_config(str(path), "lock_store")
    assert config is not None and config.url == "127.0.0.1"
    assert config.type == "bot.lock_store.AsyncRedisLockStore"
    assert config.kwargs == {"port": 6390, "db": 4, "key_prefix": "fhb", "password": "s3cret"}
    store = LockStore.create(config)
    assert isinstance(store, AsyncRedisLockStore)
    assert store.key_prefix == "fhb:lock:"
    assert store.red.connection_pool.connection_kwargs["port"] == 6390


@pytest.mark.redis
async def test_the_machines_redis_holds_the_locks(tmp_path: Path, redis_url: str) -> None:
    path = write_endpoints(settings(tmp_path, redis_url=redis_url), tmp_path / "endpoints.yml")
    store = LockStore.create(read_endpoint_config(str(path), "lock_store"))
    assert isinstance(store, AsyncRedisLockStore)
    async with store.lock("launcher-test-conversation", lock_lifetime=5):
        assert await store.red.exists("fhb:lock:launcher-test-conversation")
    assert not await store.red.exists("fhb:lock:launcher-test-conversation")
