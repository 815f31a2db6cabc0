// The signature pad of the client portal's Accept form: what is drawn on the canvas is
// written into the hidden "signature" input as a PNG data URL. Without JavaScript the pad
// stays hidden and the typed name is the signature.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-signature-pad]").forEach((pad) => {
    const form = pad.closest("form");
    const canvas = pad.querySelector("canvas");
    const input = form.querySelector("input[name=signature]");
    const context = canvas.getContext("2d");
    let drawing = false;
    let drawn = false;

    pad.classList.remove("d-none");
    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#1a237e";

    if (input.value.startsWith("data:image/png;base64,")) {  // shown again after an error
      const image = new Image();
      image.addEventListener("load", () => context.drawImage(image, 0, 0));
      image.src = input.value;
      drawn = true;
    }

    const point = (event) => {
      const box = canvas.getBoundingClientRect();
      return [(event.clientX - box.left) * canvas.width / box.width,
              (event.clientY - box.top) * canvas.height / box.height];
    };

    canvas.addEventListener("pointerdown", (event) => {
      if (canvas.closest("fieldset[disabled]")) {
        return;
      }
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      context.beginPath();
      context.moveTo(...point(event));
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drawing) {
        return;
      }
      context.lineTo(...point(event));
      context.stroke();
      drawn = true;
    });
    const finish = () => {
      if (drawing && drawn) {
        input.value = canvas.toDataURL("image/png");
      }
      drawing = false;
    };
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);

    pad.querySelector("[data-signature-clear]").addEventListener("click", () => {
      context.clearRect(0, 0, canvas.width, canvas.height);
      input.value = "";
      drawn = false;
    });
  });
});
