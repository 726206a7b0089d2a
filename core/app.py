"""The app factory: settings in, a Starlette app with one GraphQL endpoint out."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import MetaData
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.routing import BaseRoute, Mount, Route

from core.api import faults
from core.api.health import liveness, readiness
from core.api.http import GraphQLEndpoint
from core.api.ide import ASSET_PATH, graphiql_assets, graphiql_html
from core.api.observability import Metrics, ObservabilityMiddleware, metrics_endpoint
from core.api.rate_limit import RateLimitMiddleware
from core.api.schema import AssembledSchema, build_schema
from core.api.security_headers import SecurityHeadersMiddleware
from core.auth.config import AuthConfig
from core.auth.permissions import Principal
from core.auth.permissions import registry_for as permission_registry_for
from core.auth.service import cached_principal
from core.auth.sign_in_cache import SignInCache
from core.board.categories import categories_for as notice_categories_for
from core.db import (
    deployment_metadata,
    make_engine,
    make_read_session_factory,
    make_session_factory,
    make_write_session_factory,
)
from core.people.categories import categories_for as resident_categories_for
from core.plugin_host import PluginHost, load_plugin_host
from core.policy.registry import registry_for as policy_registry_for
from core.posts.kinds import registry_for as post_kinds_for
from core.privacy.fields import sensitive_fields_for
from core.reporting.obligations import registry_for as obligation_registry_for
from core.settings import SETTINGS_INFO_KEY, Settings, load_settings


@dataclass
class Deployment:
    """Everything one configuration of Jiceng is made of, built once."""

    settings: Settings
    host: PluginHost

    @cached_property
    def engine(self) -> Engine:
        return make_engine(
            self.settings.database_url,
            pool_size=self.settings.database_pool_size,
            max_overflow=self.settings.database_max_overflow,
        )

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine, {SETTINGS_INFO_KEY: self.settings})

    @cached_property
    def write_session_factory(self) -> sessionmaker[Session]:
        return make_write_session_factory(self.engine, {SETTINGS_INFO_KEY: self.settings})

    @cached_property
    def read_session_factory(self) -> sessionmaker[Session]:
        return make_read_session_factory(self.engine, {SETTINGS_INFO_KEY: self.settings})

    @cached_property
    def models(self) -> list[type]:
        return self.host.collect("register_models")

    @cached_property
    def metadata(self) -> MetaData:
        return deployment_metadata(self.models)

    @cached_property
    def schema(self) -> AssembledSchema:
        return build_schema(self.host)

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()


def build_deployment(settings: Settings | None = None) -> Deployment:
    settings = settings or load_settings()
    settings.check_secret_key()
    deployment = Deployment(settings=settings, host=load_plugin_host(settings.plugins))
    # Bad declarations (duplicate permission codes, policy keys, obligation types, notice
    # categories, post kinds, resident categories or sensitive fields, a bad [auth] table)
    # stop start-up rather than the first request.
    permission_registry_for(deployment.host)
    policy_registry_for(deployment.host)
    obligation_registry_for(deployment.host)
    notice_categories_for(deployment.host)
    post_kinds_for(deployment.host)
    resident_categories_for(deployment.host)
    sensitive_fields_for(deployment.host)
    AuthConfig.from_settings(settings)
    return deployment


def _bearer_principal(cache: SignInCache) -> Callable[[Session, Request], Principal | None]:
    def authenticate(session: Session, request: Request) -> Principal | None:
        return cached_principal(session, request.headers.get("authorization"), cache)

    return authenticate


def create_app(settings: Settings | None = None, *, deployment: Deployment | None = None) -> Starlette:
    deployment = deployment or build_deployment(settings)
    graphql = GraphQLEndpoint(
        deployment.schema,
        deployment.settings,
        deployment.write_session_factory,
        ide_html=None if deployment.settings.production else graphiql_html(),
        read_session_factory=deployment.read_session_factory,
        authenticate=_bearer_principal(SignInCache()),
        host=deployment.host,
    )

    metrics = Metrics()
    routes: list[BaseRoute] = [
        # Every method reaches the endpoint so that it can answer 405 with Allow.
        Route("/graphql", graphql.handle, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        Route("/healthz", liveness(deployment)),
        Route("/readyz", readiness(deployment)),
        Route("/metrics", metrics_endpoint(metrics, deployment.settings)),
        *deployment.host.collect("register_routes"),
    ]
    if not deployment.settings.production:
        # The GraphiQL page's own scripts and styles: it needs no other host.
        routes.append(Mount(ASSET_PATH, app=graphiql_assets(), name="graphiql-assets"))

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        deployment.dispose()

    middleware = [
        # Outermost: every request, refused ones included, has an id, a log line and a count.
        Middleware(ObservabilityMiddleware, metrics=metrics),
        # Next, so that refusals of the rate limit carry the headers too.
        Middleware(SecurityHeadersMiddleware),
        Middleware(RateLimitMiddleware, settings=deployment.settings),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers=dict.fromkeys(faults.HANDLED, faults.database_unavailable_handler),
    )
    app.state.deployment = deployment
    app.state.metrics = metrics
    return app


def app_from_environment() -> Starlette:
    """The app of one worker process (``jiceng serve --workers N``, or any
    ASGI server: ``uvicorn --factory core.app:app_from_environment``),
    configured by ``JICENG_CONFIG`` and ``JICENG_*`` variables."""
    app = create_app(load_settings())
    freeze_startup_objects()
    return app


def freeze_startup_objects() -> None:
    """Put what start-up built (the schema, plugins, mappers: several hundred
    thousand objects that live as long as the process) out of the cyclic
    garbage collector's reach. Its full collections, which the objects
    requests allocate set off, then walk only those: a residents page served
    8 % more requests per second (README, Performance). A server process
    calls this once its app is built; garbage made before is collected first."""
    gc.collect()
    gc.freeze()
