"""Solr 9 (SolrCloud) as the archive's scale-out search engine: every Solr-specific line lives here.

haystack's Solr backend was written for single Solr 4-6 cores. This subclass keeps its
query building, so search.query runs unchanged, and makes the answers the same as the
Whoosh engine's (search.whoosh) on a sharded Solr 9 collection:

* documents go in as JSON with soft commits: Solr 9 has no index-time boosts, which made
  pysolr fall back to XML, and a hard commit per update is needless with the update log;
* a query whose words are all stop words, or that Solr cannot parse, is refused with the
  reason search.contract gives on every engine (haystack's backend answered "no results");
  an engine that is down is an engine failure, its text for the log only;
* Whoosh's ANDNOT is searched as Lucene's AND NOT, and ANDMAYBE is refused (search.contract);
* ties in every sort order are broken as on Whoosh: newest story first;
* facet counts are exact across shards: Solr's distributed top-N is approximate, so every
  shard lists every value and the top N are cut here, by count, then name, as on Whoosh;
* snippets are cut from the stored body by the Whoosh engine's own function, from the words
  Solr says the query searched for, so they are the same on both engines;
* more-like-this uses the {!mlt} query parser, which works across shards, instead of the
  /mlt handler, which only sees the core it runs on;
* a spelling suggestion keeps the query as typed and replaces only the words no story has,
  as on Whoosh (Solr's collation rewrites the query and drops corrections that find nothing);
* `setup_collection` uploads our configset (deploy/solr/archive/conf) and creates the
  collection through the Configsets and Collections APIs, for `manage.py setup_search`.
"""
import io
import logging
import re
import zipfile
from pathlib import Path

from django.conf import settings
from haystack import connections
from haystack.backends import log_query
from haystack.backends.solr_backend import SolrEngine, SolrSearchBackend, SolrSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.utils import get_identifier, get_model_ct
from pysolr import SolrError

from search.contract import (
    NO_SEARCHABLE_WORDS, NOT_A_FIELD, UNREADABLE_QUERY, QueryNotSearchable, check_query_fields,
    check_query_wildcards, check_term_count,
    lucene_operators,
)
from search.results import BODY_FIELD, HEADLINE_FIELD
# The snippet is engine-neutral: the same words marked in the same window on every engine.
from search.text import snippet, wildcard_pattern

log = logging.getLogger(__name__)

CONFIGSET_DIR = Path(settings.BASE_DIR) / "deploy" / "solr" / "archive" / "conf"
SNIPPET_FIELD = BODY_FIELD
TIE_BREAK_FIELD = "pk_sort"  # the story's primary key as a number with docValues (schema.xml)
MATCH_ALL = ("*:*", "*")
# Characters that are operators in Lucene's query syntax but plain punctuation in the Whoosh
# syntax the search box speaks ("Aleppo/Idlib" is no regular expression, "-Assad" no exclusion).
LUCENE_ONLY = re.compile(r"([\\/!+\-~&|])")
# A field:term, field:"phrase words" or field:pattern* in Solr's rendering of a parsed query.
PARSED_TERM = re.compile(r'(\w+):(?:"([^"]*)"|([\w.*?]+))')


class ArchiveSolrSearchBackend(SolrSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.base_url, _, self.collection = self.conn.url.rstrip("/").rpartition("/")

    # -- writing

    def update(self, index, iterable, commit=True):
        docs = []
        for obj in iterable:
            try:
                docs.append({name: self._solr_value(value) for name, value in index.full_prepare(obj).items()})
            except SkipDocument:
                continue
        if docs:
            self._write(self.conn.add, docs, softCommit=commit)

    def remove(self, obj_or_string, commit=True):
        self.remove_many([obj_or_string], commit=commit)

    def remove_many(self, objs_or_strings, commit=True):
        """Remove several documents in one request (search.indexing uses it when present)."""
        if objs_or_strings:
            self._write(
                self.conn.delete, id=[get_identifier(obj) for obj in objs_or_strings], softCommit=commit
            )

    def clear(self, models=None, commit=True):
        """Delete every document (of these models); no optimize, which Solr 9 does not need."""
        query = " OR ".join(f"{DJANGO_CT}:{get_model_ct(model)}" for model in models) if models else "*:*"
        self._write(self.conn.delete, q=query, softCommit=commit)

    def _write(self, method, *args, **kwargs):
        try:
            method(*args, **kwargs)
        except (OSError, SolrError) as error:
            raise SearchBackendError(f"Solr at {self.conn.url} did not take the change: {error}") from error

    def _solr_value(self, value):
        """Dates in Solr's format (JSON has none); everything else as it is."""
        if isinstance(value, (list, tuple, set)):
            return [self._solr_value(item) for item in value]
        if hasattr(value, "strftime"):
            return self.conn._from_python(value)
        return value

    # -- searching

    @log_query
    def search(self, query_string, **kwargs):
        if not query_string:
            return {"results": [], "hits": 0}
        search_kwargs = self.build_search_kwargs(query_string, **kwargs)
        spelling_query = kwargs.get("spelling_query")
        if spelling_query:
            search_kwargs.update({"spellcheck": "true", "spellcheck.q": spelling_query, "spellcheck.count": 1})
        if query_string not in MATCH_ALL:
            check_query_wildcards(query_string)
            check_query_fields(query_string, *self._query_fields())
            query_string = LUCENE_ONLY.sub(r"\\\1", lucene_operators(query_string))
        try:
            raw_results = self.conn.search(query_string, **search_kwargs)
        except SolrError as error:
            reason = re.search(r"\(HTTP 400\): \[Reason: (.*)\]", str(error), re.S)
            if reason:
                log.info("Solr cannot parse %r: %s", query_string, reason.group(1))
                field = re.search(r"undefined field (\w+)", reason.group(1))
                message = NOT_A_FIELD.format(name=field.group(1)) if field else UNREADABLE_QUERY
                raise QueryNotSearchable(message) from error
            raise SearchBackendError(f"The search engine is not answering: {error}") from error
        except OSError as error:
            raise SearchBackendError(f"The search engine is not answering: {error}") from error
        if query_string not in MATCH_ALL:
            self._check_parsed(raw_results.debug.get("parsedquery", ""))
        processed = self._process_results(
            raw_results, result_class=kwargs.get("result_class"), distance_point=kwargs.get("distance_point")
        )
        for field, options in (kwargs.get("facets") or {}).items():
            counted = sorted(processed["facets"]["fields"].get(field, []), key=lambda vc: (-vc[1], vc[0]))
            limit = int(options.get("limit", -1))
            processed["facets"]["fields"][field] = counted if limit < 0 else counted[:limit]
        processed["spelling_suggestion"] = self._suggestion(raw_results, spelling_query) if spelling_query else None
        if kwargs.get("highlight"):
            terms = self._highlight_terms(raw_results.debug.get("parsedquery", ""))
            content_field = self._content_field()
            for result in processed["results"]:
                result.highlighted = {content_field: [snippet(getattr(result, SNIPPET_FIELD, "") or "", terms)]}
        return processed

    @staticmethod
    def _suggestion(raw_results, typed):
        """The query as typed, each word Solr found in no story replaced by its best correction."""
        suggestions = raw_results.spellcheck.get("suggestions", [])
        found = sorted((s for s in suggestions[1::2] if s.get("suggestion")), key=lambda s: s["startOffset"])
        parts, end = [], 0
        for suggestion in found:
            parts += [typed[end:suggestion["startOffset"]], suggestion["suggestion"][0]]
            end = suggestion["endOffset"]
        return "".join(parts) + typed[end:] if parts else None

    def _highlight_terms(self, parsed):
        """What the query looks for, in the form snippet() marks: words, and patterns for wildcards.

        Solr's rendering of the parsed query holds the words already analysed (folded, lower case).
        """
        found = set()
        for field, phrase, term in PARSED_TERM.findall(parsed):
            if phrase:
                found.update(word for word in phrase.split() if word != "?")  # "?": a dropped stop word
            elif "*" in term or "?" in term:
                found.add(wildcard_pattern(term))
            elif field in (self._content_field(), HEADLINE_FIELD):
                found.add(term)
        return found

    @staticmethod
    def _check_parsed(parsed):
        """Refuse what Solr made of the query when nothing, or too much, was left to search."""
        if not parsed:
            raise QueryNotSearchable(NO_SEARCHABLE_WORDS)
        check_term_count(len(re.findall(r"\w+:", parsed)))

    def build_search_kwargs(self, query_string, sort_by=None, facets=None, highlight=False, **kwargs):
        search_kwargs = super().build_search_kwargs(
            query_string, sort_by=self._sort_with_ties(sort_by), facets=facets, highlight=highlight, **kwargs
        )
        if search_kwargs["fl"] == "* score":
            search_kwargs["fl"] = self._stored_fields()
        if query_string not in MATCH_ALL:
            search_kwargs["debug"] = "query"  # tells search() whether any word was left to search
        if facets:
            # Counts describe the stories found, exactly: every value from every shard (a shard's
            # top 100 can miss a value that is in the merged top 100); search() cuts the list.
            search_kwargs["facet.mincount"] = 1
            for field in facets:
                search_kwargs[f"f.{field}.facet.limit"] = -1
        if highlight:
            # Snippets are cut here, as on Whoosh; Solr only has to say what the query became.
            search_kwargs = {key: value for key, value in search_kwargs.items() if not key.startswith("hl")}
        return search_kwargs

    def _sort_with_ties(self, sort_by):
        """The sort order, then newest story first, as the Whoosh engine breaks ties."""
        date_field = self._date_field()
        if not sort_by or sort_by.split()[0] == "score":
            return f"score desc, {date_field} desc, {TIE_BREAK_FIELD} desc"
        direction = "asc" if sort_by.split(",")[0].split()[-1] == "asc" else "desc"
        return f"{sort_by}, {TIE_BREAK_FIELD} {direction}"

    def _stored_fields(self):
        """The fields a result is built from: not the text field, which only repeats the headline
        and body (the Whoosh engine does not even store it)."""
        fields = connections[self.connection_alias].get_unified_index().all_searchfields().values()
        stored = [f.index_fieldname for f in fields if f.stored and not f.document and not getattr(f, "facet_for", None)]
        return " ".join([ID, DJANGO_CT, DJANGO_ID, *stored, "score"])

    def _query_fields(self):
        """(every field of the index, the fields a query may name), as on the Whoosh engine: the
        text, the headline, the date and the verbatim facet values."""
        fields = connections[self.connection_alias].get_unified_index().all_searchfields().values()
        known = {ID, DJANGO_CT, DJANGO_ID, *(f.index_fieldname for f in fields)}
        searchable = {self._content_field(), HEADLINE_FIELD, self._date_field(),
                      *(f.index_fieldname for f in fields if getattr(f, "facet_for", None))}
        return known, searchable

    def _date_field(self):
        fields = connections[self.connection_alias].get_unified_index().all_searchfields().values()
        return next(f.index_fieldname for f in fields if f.field_type in ("date", "datetime"))

    def _content_field(self):
        return connections[self.connection_alias].get_unified_index().document_field

    def more_like_this(
        self,
        model_instance,
        additional_query_string=None,
        start_offset=0,
        end_offset=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        """Stories like this one, from every shard: {!mlt} finds the story on whichever shard
        holds it, takes its most telling words and searches the whole collection without it."""
        query = "{!mlt qf=%s mintf=1 mindf=1 maxqt=12}%s" % (self._content_field(), get_identifier(model_instance))
        options = {"models": models, "limit_to_registered_models": limit_to_registered_models}
        if additional_query_string:
            options["narrow_queries"] = {additional_query_string}
        if end_offset is not None:
            options["end_offset"] = start_offset + end_offset
        search_kwargs = self.build_search_kwargs(query, start_offset=start_offset, **options)
        search_kwargs.pop("debug", None)
        try:
            raw_results = self.conn.search(query, **search_kwargs)
        except (OSError, SolrError) as error:
            raise SearchBackendError(f"The search engine is not answering: {error}") from error
        return self._process_results(raw_results, result_class=result_class)

    # -- the collection (manage.py setup_search)

    def setup_collection(self, shards=1, replicas=1, reload_config=False):
        """Create the collection from our configset when it is missing; say what was done.

        With reload_config, an existing collection gets the configset uploaded again and
        is reloaded (after a schema change; re-index with rebuild_index).
        """
        exists = self.collection in self._admin("collections", action="LIST").get("collections", [])
        if exists and not reload_config:
            return f"Solr collection {self.collection!r} exists; nothing to do."
        self._upload_configset()
        if exists:
            self._admin("collections", action="RELOAD", name=self.collection)
            return f"Uploaded configset {self.collection!r} and reloaded collection {self.collection!r}."
        self._admin(
            "collections",
            action="CREATE",
            name=self.collection,
            numShards=shards,
            replicationFactor=replicas,
            **{"collection.configName": self.collection, "waitForFinalState": "true"},
        )
        return (
            f"Created Solr collection {self.collection!r} "
            f"({shards} shard(s) x {replicas} replica(s)) from configset {self.collection!r}."
        )

    def _upload_configset(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(CONFIGSET_DIR.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(CONFIGSET_DIR).as_posix())
        self._admin(
            "configs",
            method="post",
            data=buffer.getvalue(),
            action="UPLOAD",
            name=self.collection,
            overwrite="true",
            cleanup="true",
        )

    def _admin(self, api, method="get", data=None, **params):
        """Call one of Solr's admin APIs (collections, configs) and return its JSON answer."""
        session = self.conn.get_session()
        try:
            response = getattr(session, method)(
                f"{self.base_url}/admin/{api}",
                params={**params, "wt": "json"},
                data=data,
                headers={"Content-Type": "application/octet-stream"} if data is not None else None,
                auth=self.conn.auth,
                timeout=max(self.timeout, 180),
            )
            answer = response.json()
        except (OSError, ValueError) as error:
            raise SearchBackendError(f"Solr at {self.base_url} is not answering its {api} API: {error}") from error
        if response.status_code != 200 or answer.get("responseHeader", {}).get("status") != 0 or "failure" in answer:
            detail = answer.get("error", {}).get("msg") or answer.get("failure") or response.text[:500]
            raise SearchBackendError(f"Solr {api} {params.get('action')} failed: {detail}")
        return answer


class ArchiveSolrEngine(SolrEngine):
    backend = ArchiveSolrSearchBackend
    query = SolrSearchQuery
