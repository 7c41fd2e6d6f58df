import datetime
import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ducha.visits import photos, services
from ducha.visits.models import Visit, VisitPhoto, VisitSettings

from .factories import PDF_BYTES, jpeg_bytes, png_bytes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def _log(sam, campaign, tree, village, photo_uploads):
    return services.visit_log(
        actor=sam,
        campaign=campaign,
        unit=tree.hospital,
        date=datetime.date(2024, 5, 10),
        visitors=[sam.person],
        places=[village],
        discipline_affirmed=True,
        photos=photo_uploads,
        client_token=uuid.uuid4().hex,
    )


def _gps(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(0x8825))


def test_it_keeps_the_original_and_makes_an_upright_display_copy_without_location(
    today, tree, campaign, sam, village
):
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_bytes((4000, 3000), gps=True, orientation=6))
    visit = _log(sam, campaign, tree, village, [upload])
    photo = VisitPhoto.objects.get(visit=visit)
    assert photo.original_name == "IMG_0001.jpg"
    # Orientation 6 is a quarter turn: upright, the photo is portrait.
    assert (photo.width, photo.height) == (3000, 4000)
    with photo.display.open("rb") as handle, Image.open(handle) as display:
        assert display.format == "JPEG"
        assert display.size == (1200, 1600)
        assert not display.getexif()
    with photo.original.open("rb") as handle:
        original = handle.read()
    # The original keeps its pixels and orientation tag, but where it was taken is gone.
    with Image.open(io.BytesIO(original)) as image:
        assert image.size == (4000, 3000)
        assert image.getexif()[0x0112] == 6
    assert _gps(original) == {}
    assert photo.size == len(original)


def test_it_keeps_the_location_when_the_campaign_asks(today, tree, campaign, sam, village):
    VisitSettings.objects.create(campaign=campaign, keep_photo_location=True)
    data = jpeg_bytes((800, 600), gps=True)
    visit = _log(sam, campaign, tree, village, [SimpleUploadedFile("a.jpg", data)])
    photo = visit.photos.get()
    with photo.original.open("rb") as handle:
        kept = handle.read()
    assert kept == data
    assert _gps(kept)[1] == "N"


def test_a_photo_without_location_is_stored_as_uploaded(today, tree, campaign, sam, village):
    data = jpeg_bytes((640, 480))
    visit = _log(sam, campaign, tree, village, [SimpleUploadedFile("b.jpg", data)])
    with visit.photos.get().original.open("rb") as handle:
        assert handle.read() == data


def test_it_turns_a_transparent_png_into_a_jpeg_display_copy(today, tree, campaign, sam, village):
    visit = _log(sam, campaign, tree, village, [SimpleUploadedFile("c.png", png_bytes())])
    photo = visit.photos.get()
    assert photo.original.name.endswith(".png")
    with photo.display.open("rb") as handle, Image.open(handle) as display:
        assert (display.format, display.mode, display.size) == ("JPEG", "RGB", (800, 600))


def test_it_refuses_a_40_mb_photo_and_stores_nothing(
    english, today, tree, campaign, sam, village, _media
):
    big = SimpleUploadedFile("huge.jpg", b"\xff\xd8\xff" + b"0" * (40 * 1024 * 1024))
    with pytest.raises(ValidationError) as caught:
        _log(sam, campaign, tree, village, [SimpleUploadedFile("ok.jpg", jpeg_bytes()), big])
    assert caught.value.messages == [
        "“huge.jpg” is 40 MB; a photo may be at most 20 MB. Send a smaller photo (most phones "
        "can share a photo at a reduced size)."
    ]
    assert not Visit.objects.exists()
    assert _stored_files(_media) == []


def test_it_reads_no_more_than_the_limit_of_an_upload_of_unknown_size(english, settings):
    settings.PHOTO_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as caught:
        photos.prepare_photo(io.BytesIO(b"x" * 5000), keep_location=False, name="s.jpg")
    assert caught.value.code == "too_large"


def test_it_refuses_a_pdf_disguised_as_a_photo(
    english, today, tree, campaign, sam, village, _media
):
    with pytest.raises(ValidationError) as caught:
        _log(
            sam, campaign, tree, village, [SimpleUploadedFile("photo.jpg", PDF_BYTES, "image/jpeg")]
        )
    assert caught.value.messages == [
        "“photo.jpg” is not a photo: only JPEG, PNG and WebP images are accepted."
    ]
    assert not Visit.objects.exists()
    assert _stored_files(_media) == []


@pytest.mark.parametrize(
    "data",
    [
        jpeg_bytes()[:2000],  # cut off in transfer
        b"GIF89a" + b"\x00" * 100,
        b"",
    ],
    ids=["truncated-jpeg", "not-an-accepted-format", "empty"],
)
def test_it_refuses_what_is_not_a_whole_photo(data):
    with pytest.raises(ValidationError):
        photos.prepare_photo(io.BytesIO(data), keep_location=False, name="x.jpg")


def test_it_refuses_a_decompression_bomb(english):
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")
    with pytest.raises(ValidationError) as caught:
        photos.prepare_photo(io.BytesIO(out.getvalue()), keep_location=False, name="bomb.png")
    assert caught.value.code in {"not_image", "too_big"}


def test_it_limits_the_number_of_photos(english, today, tree, campaign, sam, village):
    uploads = [SimpleUploadedFile(f"{n}.png", png_bytes((20, 20))) for n in range(10)]
    with pytest.raises(ValidationError) as caught:
        _log(sam, campaign, tree, village, uploads)
    assert caught.value.message_dict["photos"] == ["Attach at most 9 photos."]


def test_a_photo_is_added_to_a_recorded_visit(today, tree, campaign, sam, village):
    visit = _log(sam, campaign, tree, village, [])
    photo = services.visit_photo_add(
        actor=sam, visit=visit, upload=SimpleUploadedFile("late.jpg", jpeg_bytes((100, 80)))
    )
    assert visit.photos.get() == photo
    assert (photo.width, photo.height) == (100, 80)
