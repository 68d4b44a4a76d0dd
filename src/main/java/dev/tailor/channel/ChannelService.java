package dev.tailor.channel;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import dev.tailor.problem.Problem;
import dev.tailor.bundle.BundleDocument;
import dev.tailor.bundle.BundleService;
import dev.tailor.store.BlobInfo;
import dev.tailor.store.Digest;
import dev.tailor.store.Documents;
import dev.tailor.store.Layout;
import dev.tailor.problem.TailorException;

/**
 * Moves channels. Releases of one channel are serialised within the process so that history is never lost to a
 * concurrent read-modify-write; the history keeps the last {@value #HISTORY} releases.
 */
@Service
public class ChannelService {

    static final int HISTORY = 100;

    private final Documents documents;
    private final BundleService bundles;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    ChannelService(Documents documents, BundleService bundles, ApplicationEventPublisher events, Clock clock) {
        this.clock = clock;
        this.documents = documents;
        this.bundles = bundles;
        this.events = events;
    }

    public ChannelDocument release(String app, String channel, Digest bundle, String by) {
        BundleDocument target = bundles.find(app, bundle).orElseThrow(() -> Problem.CHANNEL_UNKNOWN_BUNDLE.because("App '" + app + "' has no bundle " + bundle + "; upload it first"));
        String key = Layout.channel(app, channel);
        ChannelDocument previous;
        ChannelDocument next;
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            // a damaged channel document is replaced by this release: its history is lost (the damage is logged)
            previous = documents.readListed(key, ChannelDocument.class).orElse(null);
            Instant now = clock.instant();
            List<ChannelDocument.Release> history = new ArrayList<>();
            history.add(new ChannelDocument.Release(bundle, now, by));
            if (previous != null) {
                history.addAll(previous.history().subList(0, Math.min(HISTORY - 1, previous.history().size())));
            }
            next = new ChannelDocument(app, channel, bundle, now, history);
            documents.write(key, next);
        }
        events.publishEvent(new ChannelReleased(next, target, previous));
        return next;
    }

    public Optional<ChannelDocument> find(String app, String channel) {
        return documents.read(Layout.channel(app, channel), ChannelDocument.class);
    }

    /** @throws TailorException {@code channel.not_found} */
    public ChannelDocument get(String app, String channel) {
        return find(app, channel).orElseThrow(() -> Problem.CHANNEL_NOT_FOUND.because(
                "App '" + app + "' has no channel '" + channel + "'"));
    }

    /**
     * The bundle a channel points at now: what a boot or a build by channel is about.
     *
     * @throws TailorException {@code channel.not_found}, or {@code bundle.not_found} if the bundle is gone
     */
    public BundleDocument releasedBundle(String app, String channel) {
        ChannelDocument ch = get(app, channel);
        return bundles.find(app, ch.bundle()).orElseThrow(() -> Problem.BUNDLE_NOT_FOUND.because(
                "The channel's bundle " + ch.bundle() + " is missing"));
    }

    /** The channel if it is in memory now, without touching the store: for the event loop's fast paths. */
    public Optional<ChannelDocument> cached(String app, String channel) {
        return documents.cached(Layout.channel(app, channel), ChannelDocument.class);
    }

    /** The app's channels; a damaged channel document is left out (and logged). */
    public List<ChannelDocument> list(String app) {
        return documents.store().list(Layout.channels(app)).stream().map(BlobInfo::key)
                .map(k -> documents.readListed(k, ChannelDocument.class)).flatMap(Optional::stream).toList();
    }

    /** The app's channels, or a {@link dev.tailor.store.CorruptDocumentException} when one cannot be read. */
    public List<ChannelDocument> listStrict(String app) {
        return documents.store().list(Layout.channels(app)).stream().map(BlobInfo::key)
                .map(k -> documents.read(k, ChannelDocument.class)).flatMap(Optional::stream).toList();
    }

}
